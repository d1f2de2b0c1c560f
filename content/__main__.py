"""`python -m content`: every message with its reading grade, and any sourcing problem."""

from __future__ import annotations

import statistics
import sys

from content.model import load_topics
from content.readability import grade, words
from content.sources import problems


def main() -> int:
    grades, bad = [], 0
    for topic in load_topics():
        for message in topic.messages:
            g = grade(message.text)
            grades.append(g)
            flag = "  <-- above grade 8" if g > 8 else ""
            print(f"{g:5.1f} {words(message.text):3d}w {topic.name}/{message.response}{flag}")
            for statement in message.statements:
                for problem in problems(statement):
                    bad += 1
                    print(f"      ! {problem}  [{statement.say[:60]}]")
    if grades:
        print(f"median grade {statistics.median(grades):.2f}, above 8: "
              f"{sum(g > 8 for g in grades)} of {len(grades)}, sourcing problems: {bad}")
    return 1 if bad or any(g > 8 for g in grades) else 0


if __name__ == "__main__":
    sys.exit(main())
