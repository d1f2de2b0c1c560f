"""Load and check the clinic profile: clinic/profile.yml, or the file named by CLINIC_PROFILE."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "profile.yml"


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    phone: str
    opening_hours: str
    booking_url: str
    emergency_number: str

    def as_slots(self) -> dict[str, str]:
        """The profile as the Rasa slot values the responses use: clinic_name, clinic_phone, ..."""
        values = asdict(self)
        return {
            "clinic_name": values["name"],
            "clinic_phone": values["phone"],
            "opening_hours": values["opening_hours"],
            "booking_url": values["booking_url"],
            "emergency_number": values["emergency_number"],
        }


def profile_path() -> Path:
    return Path(os.environ.get("CLINIC_PROFILE", DEFAULT_PATH))


@cache
def load_profile(path: Path | None = None) -> ClinicProfile:
    path = Path(path) if path else profile_path()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    fields = ClinicProfile.__dataclass_fields__
    missing = [name for name in fields if not str(data.get(name, "")).strip()]
    if missing:
        raise ValueError(f"{path}: missing clinic detail(s): {', '.join(missing)}")
    return ClinicProfile(**{name: str(data[name]).strip() for name in fields})
