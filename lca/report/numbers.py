"""How a number is printed in the PDF reports and their charts: one house style.

ISO 80000-1 (§7.3.1), as the EU's Official Journal and the ESRS print figures: digits in groups
of three separated by a narrow no-break space (``14 785.3``, never ``14,785.3``), a decimal
point, a minus sign (``−18.7``, never a hyphen), a space between a figure and ``%`` as between
a figure and its unit (``37.2 %``, a no-break space so that they stay on one line), and powers
of ten written out (``4.858 × 10⁻⁸``, never ``4.858e-08``). The workbook and results.json keep
full precision and are not formatted here.
"""

from __future__ import annotations

import math
import re

#: Between groups of three digits, and between a figure and ``%``.
THOUSANDS = "\u202f"
BEFORE_PERCENT = "\u00a0"
MINUS = "\u2212"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _house(text: str) -> str:
    """A Python-formatted number (``-14,785.3``) in the house style (``−14 785.3``)."""
    return text.replace(",", THOUSANDS).replace("-", MINUS)


def number(value, digits: int = 2) -> str:
    """A plain number with ``digits`` decimals and grouped thousands ('–' for None); a figure
    scaled for display beyond any number (an intensity per a net revenue close to 0, × 1,000)
    is not computable."""
    if value is None:
        return "–"
    if not math.isfinite(value):
        return "not computable"
    return _house(f"{value:,.{digits}f}")


def tonnes(kg) -> str:
    """kgCO2e → tCO2e with three decimals and grouped thousands ('–' for None)."""
    return "–" if kg is None else number(kg / 1000, 3)


def signed(value, digits: int = 1) -> str:
    """A change with its sign (``+1.6``, ``−19.1``) and grouped thousands ('–' for None)."""
    return "–" if value is None else _house(f"{value:+,.{digits}f}")


def signed_tonnes(kg) -> str:
    """A change in kgCO2e → tCO2e with its sign, as ``tonnes`` writes levels."""
    return "–" if kg is None else signed(kg / 1000, 3)


def figure(value, digits: int = 2) -> str:
    """A figure with ``digits`` decimals, or three significant digits when it is below one and
    would otherwise print as few digits (a small AI figure stays readable)."""
    if value is not None and 0 < abs(value) < 1 and digits < 3 - math.floor(math.log10(abs(value))):
        return number(value, 2 - math.floor(math.log10(abs(value))))
    return number(value, digits)


def significant(value, digits: int = 4) -> str:
    """A factor value with ``digits`` significant figures: grouped thousands, and a power of
    ten written out where the shortest form needs one (``8.787 × 10⁻⁸``)."""
    if value is None:
        return "–"
    text = f"{value:,.{digits}g}"
    if "e" not in text:
        return _house(text)
    mantissa, exponent = text.split("e")
    return f"{_house(mantissa)} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def points(value, digits: int = 1) -> str:
    """A figure already in per cent (18.7) as ``18.7 %`` ('–' for None)."""
    return "–" if value is None else f"{number(value, digits)}{BEFORE_PERCENT}%"


def signed_points(value, digits: int = 1) -> str:
    """A change already in per cent with its sign: ``+8.3 %``, ``−4.0 %`` ('–' for None)."""
    return "–" if value is None else f"{signed(value, digits)}{BEFORE_PERCENT}%"


def percent(share, digits: int = 1) -> str:
    """A share (0.372) as a percentage: ``37.2 %`` ('–' for None)."""
    return "–" if share is None else points(share * 100, digits)


#: In engine prose: thousands written with a comma, and a figure directly followed by ``%``
#: (not a URL's percent-encoded octet such as ``%20``).
_COMMA_GROUP = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TIGHT_PERCENT = re.compile(r"(?<=\d)\s?%(?![0-9A-Fa-f]{2})")


def prose(text) -> str:
    """Engine prose (issue messages, library build notes) with its figures in the house style:
    ``14,785.3 kgCO2e`` → ``14 785.3 kgCO2e``, ``T&D loss 7.74%`` → ``7.74 %``."""
    text = "" if text is None else str(text)
    return _TIGHT_PERCENT.sub(f"{BEFORE_PERCENT}%", _COMMA_GROUP.sub(THOUSANDS, text))
