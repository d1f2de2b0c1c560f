"""The clinic profile is the one source of the clinic's details."""

import re
from pathlib import Path

import pytest

import yaml_io
from clinic import ClinicProfile, load_profile
from clinic.profile import DEFAULT_PATH as DEFAULT_PROFILE
from clinic.render_domain import TARGET, render
from devtools.servers import ROOT


def test_profile_has_every_detail():
    profile = load_profile()
    assert set(profile.as_slots()) == {
        "clinic_name", "clinic_phone", "opening_hours", "booking_url", "emergency_number",
        "retention_days", "privacy_notice_url", "privacy_contact",
    }
    assert all(profile.as_slots().values())


@pytest.mark.parametrize("value", ["0", "-5", "'a year'", "1.5", "true"])
def test_retention_days_must_be_a_positive_whole_number(tmp_path, value):
    text = DEFAULT_PROFILE.read_text().replace("retention_days: 365", f"retention_days: {value}")
    broken = tmp_path / "profile.yml"
    broken.write_text(text)
    with pytest.raises(ValueError, match="retention_days"):
        load_profile(broken)


def test_data_rights_defaults(tmp_path):
    text = DEFAULT_PROFILE.read_text()
    lean = tmp_path / "profile.yml"
    lean.write_text("\n".join(line for line in text.splitlines()
                              if not line.startswith(("retention_days", "privacy_"))))
    profile = load_profile(lean)
    assert profile.retention_days == 365
    assert profile.as_slots()["privacy_contact"] == f"{profile.name} at {profile.phone}"
    assert profile.privacy_notice_url == ""
    spanish = profile.as_slots("es")
    assert spanish["privacy_contact"] == f"{profile.name} al {profile.phone}"
    assert spanish["privacy_notice_url"] == ""


def test_the_spanish_values_come_from_the_same_profile(tmp_path):
    profile = load_profile()
    english, spanish = profile.as_slots("en"), profile.as_slots("es")
    assert spanish["opening_hours"].startswith("de lunes a viernes")
    assert english["opening_hours"] != spanish["opening_hours"]
    assert spanish["privacy_notice_url"].endswith("/es/privacy")
    for name in ("clinic_name", "clinic_phone", "emergency_number", "booking_url"):
        assert english[name] == spanish[name]
    own = tmp_path / "profile.yml"
    own.write_text(DEFAULT_PROFILE.read_text() + '\nprivacy_contact: "Ann, ann@example.com"\n')
    assert load_profile(own).as_slots("es")["privacy_contact"] == "Ann, ann@example.com"
    both = tmp_path / "profile_es.yml"  # another file: load_profile caches by path
    both.write_text(own.read_text() + 'privacy_contact_es: "Ana, ann@example.com"\n')
    assert load_profile(both).as_slots("es")["privacy_contact"] == "Ana, ann@example.com"
    assert load_profile(both).as_slots("en")["privacy_contact"] == "Ann, ann@example.com"


def test_missing_detail_is_a_clear_error(tmp_path):
    broken = tmp_path / "profile.yml"
    broken.write_text("name: X\nphone: '1'\n")
    try:
        load_profile(broken)
    except ValueError as error:
        assert "opening_hours" in str(error) and "emergency_number" in str(error)
    else:
        raise AssertionError("an incomplete profile must be rejected")


def test_generated_domain_matches_the_profile(tmp_path):
    fresh = render(tmp_path / "clinic_profile.yml")
    assert fresh.read_text() == TARGET.read_text(), "run `make domain`"
    slots = yaml_io.load(fresh.read_text())["slots"]
    values = {name: s["initial_value"] for name, s in slots.items()}
    assert values == load_profile().as_domain_slots()


def _files(*patterns):
    for pattern in patterns:
        for path in ROOT.glob(pattern):
            if path.is_file() and path != TARGET:
                yield path


def test_no_copy_of_clinic_details_outside_the_profile():
    profile = load_profile()
    values = [profile.name, profile.phone, profile.booking_url, re.sub(r"\D", "", profile.phone)]
    sources = _files("domain/*.yml", "data/**/*.yml", "actions/**/*.py",
                     "rasa_components/**/*.py", "safety/**/*", "config.yml",
                     "channels/**/*.py", "web/*.py", "web/site/*", "console/**/*.py",
                     "console/templates/*", "serving/**/*.py", "production/**/*",
                     "deploy/**/*", "content/*.yml", "content/answers/*.yml")
    offenders = [
        f"{path.relative_to(ROOT)}: {value}"
        for path in sources
        for value in values
        if value in path.read_text(encoding="utf-8", errors="ignore")
    ]
    assert not offenders, offenders


def test_responses_use_the_profile_slots():
    texts = " ".join(
        variation.get("text", "")
        for path in (ROOT / "domain").glob("*.yml")
        for variations in (yaml_io.load(path.read_text()).get("responses") or {}).values()
        for variation in variations
    )
    for slot in ("{clinic_name}", "{clinic_phone}", "{opening_hours}", "{booking_url}",
                 "{emergency_number}"):
        assert slot in texts


def test_another_clinic_changes_the_replies(tmp_path):
    from actions.safety_messages import safety_messages
    from safety.turn import SafetyTurn

    other = ClinicProfile("Lakeside Pain Centre", "01234 567890", "weekdays 9-5",
                          "https://lakeside.example/book", "999")
    turn = SafetyTurn("emergency", [{"entity": "warning_sign", "label": "chest pain"}])
    text = " ".join(safety_messages(turn, other))
    assert "999" in text and "01234 567890" in text and "Lakeside Pain Centre" in text
    assert load_profile().phone not in text
    assert Path(TARGET).exists()
