"""Eligibility rules as data, checked when a dossier is submitted (and shown on the call page).

A call's ``eligibility`` is a list of rules:

- ``{"rule": "age", "birth_field": "birth_date", "sex_field": "sex", "reference_date": "2026-06-30",
  "max": {"male": 40, "female": 45}, "min": 0}`` — age at the reference date, limits per sex (a
  plain number applies to everyone);
- ``{"rule": "not_earlier_winner", "series": "中国青年科技奖", "names": [...]}`` — people selected in
  an earlier call of the same series (``call.extra["series"]``, else the same kind and organiser)
  are excluded; ``names`` lists earlier winners from before the platform; the app owning the call's
  kind adds the winners it has recorded (``kinds.register(prior_winners=…)``: e.g. the talent app's
  honours and nominations of the same award);
- ``{"rule": "requires_any", "field": "honours", "values": [...], "label": "..."}`` — the answer (one
  value or several) must include one of ``values`` (required honours, titles …);
- ``{"rule": "districts", "field": "district", "allowed": ["500103", …]}``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RULES = ("age", "not_earlier_winner", "requires_any", "districts")
SEX_LABELS = {"male": "男", "female": "女"}


def validate_rules(rules) -> None:
    if not isinstance(rules, list):
        raise ValidationError(_("Eligibility rules must be a list."))
    errors = []
    for n, rule in enumerate(rules, start=1):
        if not isinstance(rule, dict) or rule.get("rule") not in RULES:
            errors.append(
                _("Eligibility rule %(n)s: unknown rule; use one of %(rules)s.")
                % {"n": n, "rules": "、".join(RULES)}
            )
            continue
        kind = rule["rule"]
        if kind == "age":
            try:
                dt.date.fromisoformat(str(rule.get("reference_date")))
            except ValueError:
                errors.append(
                    _("Eligibility rule %(n)s (age): the reference date must be a date such as 2026-06-30.")
                    % {"n": n}
                )
            limits = rule.get("max")
            ok = isinstance(limits, int) or (
                isinstance(limits, dict) and limits and all(isinstance(v, int) for v in limits.values())
            )
            if not ok:
                errors.append(
                    _("Eligibility rule %(n)s (age): “max” must be a number or a number per sex.") % {"n": n}
                )
        if kind in ("requires_any", "districts"):
            values = rule.get("values" if kind == "requires_any" else "allowed")
            if not rule.get("field") or not isinstance(values, list) or not values:
                errors.append(_("Eligibility rule %(n)s: it needs a field and a list of values.") % {"n": n})
    if errors:
        raise ValidationError(errors)


def age_at(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check(call, data: dict, *, applicant=None, person_name: str = "", exclude_submission=None) -> list[str]:
    """Every reason the answers ``data`` make the dossier ineligible for ``call`` (empty: eligible)."""
    problems: list[str] = []
    for rule in call.eligibility or []:
        kind = rule.get("rule")
        if kind == "age":
            problems += _age(rule, data)
        elif kind == "not_earlier_winner":
            problems += _earlier_winner(call, rule, data, applicant, person_name, exclude_submission)
        elif kind == "requires_any":
            value = data.get(rule["field"])
            values = set(value if isinstance(value, list) else [value] if value else [])
            if not values & {str(v) for v in rule["values"]}:
                problems.append(
                    _("Eligibility: %(what)s is required.")
                    % {"what": rule.get("label") or "、".join(rule["values"])}
                )
        elif kind == "districts" and str(data.get(rule["field"], "")) not in {
            str(v) for v in rule["allowed"]
        }:
            problems.append(_("Eligibility: this call is open only to the listed districts."))
    return problems


def _age(rule: dict, data: dict) -> list[str]:
    birth_text = data.get(rule.get("birth_field", "birth_date"))
    if not birth_text:
        return [_("Eligibility: the date of birth is needed to check the age limit.")]
    birth = dt.date.fromisoformat(str(birth_text))
    reference = dt.date.fromisoformat(str(rule["reference_date"]))
    sex = str(data.get(rule.get("sex_field", "sex"), ""))
    limits = rule["max"]
    if isinstance(limits, dict):
        if sex not in limits:
            return [_("Eligibility: the sex is needed to check the age limit.")]
        limit = limits[sex]
    else:
        limit = limits
    age = age_at(birth, reference)
    problems = []
    if age > limit:
        problems.append(
            _("Eligibility: aged %(age)s on %(date)s; the limit for %(sex)s nominees is %(limit)s.")
            % {
                "age": age,
                "date": reference.isoformat(),
                "sex": SEX_LABELS.get(sex, sex or "—"),
                "limit": limit,
            }
        )
    if "min" in rule and age < rule["min"]:
        problems.append(
            _("Eligibility: aged %(age)s on %(date)s; at least %(limit)s is required.")
            % {"age": age, "date": reference.isoformat(), "limit": rule["min"]}
        )
    return problems


def _earlier_winner(call, rule, data, applicant, person_name, exclude_submission):  # noqa: PLR0917 -> list[str]:
    from kexie.calls import kinds
    from kexie.calls.enums import Decision, SubmissionState
    from kexie.calls.models import Submission
    from kexie.experts.conflicts import normalise

    name = normalise(person_name or data.get("name", ""))
    if name and name in {normalise(n) for n in rule.get("names", [])}:
        return [
            _("Eligibility: %(name)s has already won this award and may not be nominated again.")
            % {"name": person_name}
        ]
    earlier = Submission.objects.filter(
        decision=Decision.SELECTED, state__in=[SubmissionState.FINAL, SubmissionState.DECIDED]
    ).exclude(call=call)
    series = rule.get("series") or (call.extra or {}).get("series")
    if series:
        earlier = earlier.filter(call__extra__series=series)
    else:
        earlier = earlier.filter(call__kind=call.kind, call__organiser=call.organiser)
    if exclude_submission is not None:
        earlier = earlier.exclude(pk=exclude_submission.pk)
    for known in kinds.prior_winners(call, series or ""):
        if _same_winner(known, name=name, birth=str(data.get("birth_date") or ""), applicant=applicant):
            return [
                _("Eligibility: %(name)s already holds “%(honour)s” and may not be nominated again.")
                % {"name": known.get("name") or person_name, "honour": known.get("label") or series}
            ]
    for winner in earlier.select_related("call"):
        same_person = (
            name
            and normalise(winner.person_name) == name
            and (
                not data.get("birth_date")
                or winner.data.get("birth_date") in (None, "", data.get("birth_date"))
            )
        )
        if same_person:
            return [
                _("Eligibility: %(name)s was already selected in “%(call)s” and may not be nominated again.")
                % {"name": winner.person_name or person_name, "call": winner.call.title}
            ]
    return []


def _same_winner(known: dict, *, name: str, birth: str, applicant) -> bool:
    """An earlier winner reported by the kind's app is this dossier's person: the same account (when
    the dossier names nobody else), or the same name with no contradicting date or year of birth."""
    from kexie.experts.conflicts import normalise

    known_name = normalise(known.get("name") or "")
    user_id = known.get("user_id")
    if applicant is not None and user_id and user_id == applicant.pk and (not name or name == known_name):
        return True
    if not name or name != known_name:
        return False
    if birth and known.get("birth_date") and str(known["birth_date"]) != birth:
        return False
    return not (birth and known.get("birth_year") and str(known["birth_year"]) != birth[:4])
