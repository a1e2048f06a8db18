"""Names of the climate-literacy principles that modules and courses are tagged with (ids from the files)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PRINCIPLE_NAMES = {
    "EP1": _l("The Sun is the primary source of energy for Earth's climate system"),
    "EP2": _l("Climate is regulated by complex interactions among parts of the Earth system"),
    "EP3": _l("Life on Earth depends on, is shaped by, and affects climate"),
    "EP4": _l("Climate varies over space and time through natural and human processes"),
    "EP5": _l("Our understanding of climate improves through observations, theory and modelling"),
    "EP6": _l("Human activities are impacting the climate system"),
    "EP7": _l("Climate change will have consequences for the Earth system and human lives"),
    "GP": _l("Humans can take actions to reduce climate change and its impacts"),
    "AC1": _l("Interdisciplinary observations and modelling"),
    "AC2": _l("Greenhouse gases shape climate"),
    "AC3": _l("Fossil fuels and other human causes"),
    "AC4": _l("Impacts of climate change"),
    "AC5": _l("Climate justice"),
    "AC6": _l("Adaptation"),
    "AC7": _l("Mitigation and net zero"),
    "AC8": _l("Hope and urgency"),
}

LEVEL_NAMES = {"school": _l("Secondary school"), "university": _l("University"), "both": _l("School and university")}
