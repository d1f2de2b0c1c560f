"""Development helpers shared by the tests (tests/), the scripts (scripts/) and the evaluation on
the frozen sets (evaluation/); never used by the assistant itself.

- servers.py      start the real action server and Rasa server on free loopback ports, talk to them
- postgres.py     a throwaway PostgreSQL server (durability off) on a free port
- nlu_data.py     read Rasa NLU example files: the training data and the held-out set
- seed.py         seed Rasa's `events` table with realistic synthetic conversations
- console_bench.py  the staff console's benchmark on a large seeded history
- safety_eval.py  the safety layer's labelled sets and their recall and precision figures
- dev_readings.py the rules' reading of every development message: save, compare, list, trace

Tests and scripts may import this package; tests never import scripts, and scripts never import
tests (tests/test_layout.py).
"""
