"""The survey statistics engine: weighting, estimation and sample planning, on numpy arrays.

Services pass respondent-level arrays (weights, codes, answers) and population margins; nothing
here touches the database. The reference is R's ``survey`` package (Lumley 2010):
``bench/survey_reference.py`` reproduces its published outputs.

    result = rake(base_weights, {"district": (district_codes, district_targets), ...})
    design = result.design(strata=district_codes, clusters=community_codes)
    literacy = weighted_proportion(design, literate)          # calibration-aware SE
    fixed = weighted_proportion(design.uncalibrated(), literate)  # weights taken as fixed

Every input problem raises :class:`WeightingError` with a translated message that names the
margin, category, stratum or respondent at fault.
"""

from .calibration import Calibration
from .design import Design, LonelyPsu
from .errors import WeightingError
from .estimation import (
    Estimate,
    domain_estimates,
    weighted_mean,
    weighted_proportion,
    weighted_ratio,
    weighted_total,
)
from .planning import achieved_margin_of_error, allocate, required_sample_size, required_sample_sizes
from .weighting import Margin, RakeResult, kish_deff, rake, trim_weights

__all__ = [
    "Calibration",
    "Design",
    "Estimate",
    "LonelyPsu",
    "Margin",
    "RakeResult",
    "WeightingError",
    "achieved_margin_of_error",
    "allocate",
    "domain_estimates",
    "kish_deff",
    "rake",
    "required_sample_size",
    "required_sample_sizes",
    "trim_weights",
    "weighted_mean",
    "weighted_proportion",
    "weighted_ratio",
    "weighted_total",
]
