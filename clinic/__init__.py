"""The clinic profile: name, phone, hours, booking link and emergency number, from profile.yml."""

from clinic.profile import ClinicProfile, load_profile

__all__ = ["ClinicProfile", "load_profile"]
