"""Load and check the clinic profile: clinic/profile.yml, or the file named by CLINIC_PROFILE."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import yaml_io
from clinic import hours

DEFAULT_PATH = Path(__file__).resolve().parent / "profile.yml"
# The profile's keys that must be given (opening_hours: the weekly hours, see clinic/hours.py).
REQUIRED = ("name", "phone", "opening_hours", "booking_url", "emergency_number", "timezone")
DEFAULT_RETENTION_DAYS = 365
# The slots whose value has words, so a Spanish response reads `{<name>_es}` instead.
LOCALISED_SLOTS = ("opening_hours", "privacy_contact", "privacy_notice_url")


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    phone: str
    opening_hours: str  # the text patients read, made from `weekly_hours` by load_profile
    booking_url: str
    emergency_number: str
    timezone: str = "UTC"  # IANA name; console/alerts.py shows alert times in it too
    weekly_hours: hours.WeeklyHours = ()  # Monday first; () = no structured hours (never open)
    # Data rights (docs/data-rights.md): how long conversations are kept, where the privacy
    # notice is, and whom patients ask about their data (default: the clinic's phone).
    retention_days: int = DEFAULT_RETENTION_DAYS
    privacy_notice_url: str = ""
    privacy_notice_url_es: str = ""  # the notice in Spanish (default: privacy_notice_url)
    privacy_contact: str = ""
    privacy_contact_es: str = ""  # the same in Spanish (default: privacy_contact, else name/phone)

    def as_slots(self, language: str = "en") -> dict[str, str]:
        """The profile as the values the texts use (clinic_name, clinic_phone, ...), in
        `language` where a value has words ("en" or "es")."""
        spanish = language == "es"
        return {
            "clinic_name": self.name,
            "clinic_phone": self.phone,
            "opening_hours": (hours.describe(self.weekly_hours, "es") if spanish
                              else self.opening_hours),
            "booking_url": self.booking_url,
            "emergency_number": self.emergency_number,
            "retention_days": str(self.retention_days),
            "privacy_notice_url": (self.privacy_notice_url_es or self.privacy_notice_url
                                   if spanish else self.privacy_notice_url),
            "privacy_contact": (
                (self.privacy_contact_es or self.privacy_contact or f"{self.name} al {self.phone}")
                if spanish else (self.privacy_contact or f"{self.name} at {self.phone}")),
        }

    def as_domain_slots(self) -> dict[str, str]:
        """The Rasa slots: the English values, and `<name>_es` for each value that has words
        (LOCALISED_SLOTS); the Spanish responses use those (content/render_domain.py)."""
        slots = self.as_slots("en")
        spanish = self.as_slots("es")
        slots.update({f"{name}_es": spanish[name] for name in LOCALISED_SLOTS})
        return slots

    def is_open(self, moment: datetime | None = None) -> bool:
        """Whether the clinic is open at `moment` (default: now, or CLINIC_NOW)."""
        if not self.weekly_hours:
            return False
        return hours.is_open(self.weekly_hours, hours.zone(self.timezone), moment)


def profile_path() -> Path:
    return Path(os.environ.get("CLINIC_PROFILE", DEFAULT_PATH))


def _given(value: object) -> bool:
    return bool(value) if isinstance(value, dict) else bool(str(value or "").strip())


@cache
def load_profile(path: Path | None = None) -> ClinicProfile:
    path = Path(path) if path else profile_path()
    data = yaml_io.load(path.read_text(encoding="utf-8")) or {}
    missing = [name for name in REQUIRED if not _given(data.get(name))]
    if missing:
        raise ValueError(f"{path}: missing clinic detail(s): {', '.join(missing)}")
    try:
        weekly = hours.parse_weekly(data["opening_hours"])
        hours.zone(data["timezone"])
    except hours.HoursError as error:
        raise ValueError(f"{path}: {error}") from None
    text = {name: str(data[name]).strip() for name in REQUIRED if name != "opening_hours"}
    retention = data.get("retention_days", DEFAULT_RETENTION_DAYS)
    if isinstance(retention, bool) or not isinstance(retention, int) or retention < 1:
        raise ValueError(f"{path}: retention_days must be a whole number of days, 1 or more "
                         f"(found {retention!r})")
    return ClinicProfile(
        **text, opening_hours=hours.describe(weekly), weekly_hours=weekly,
        retention_days=retention,
        privacy_notice_url=str(data.get("privacy_notice_url") or "").strip(),
        privacy_notice_url_es=str(data.get("privacy_notice_url_es") or "").strip(),
        privacy_contact=str(data.get("privacy_contact") or "").strip(),
        privacy_contact_es=str(data.get("privacy_contact_es") or "").strip())
