"""Structured logs: JSON lines, UTC, request id, and personal numbers masked.

A NIR (13 digits + 2-digit key, Corsica 2A/2B allowed) or an IBAN must never reach a log line,
whatever logged it (CNIL délibération 2021-122, ASVS 16.2.5). The filter rewrites the message
and its arguments before any handler formats them.
"""

import logging
import re
import time

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

# NIR: sex digit, year, month, département (2 digits, 2A/2B), commune, order, optional key;
# separators (space, dot, dash) are allowed as people write them.
_SEP = r"[ .\-]?"
NIR_PATTERN = re.compile(
    rf"(?<![0-9A-Za-z])[1-478]{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}(?:\d{{2}}|2[ABab]){_SEP}"
    rf"\d{{3}}{_SEP}\d{{3}}(?:{_SEP}\d{{2}})?(?![0-9A-Za-z])"
)
# IBAN: country code, 2 check digits, then 11 to 30 alphanumerics, grouped by 4 or not.
IBAN_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"
)
MASK = "[masqué]"


def mask_personal_numbers(text: str) -> str:
    return IBAN_PATTERN.sub(MASK, NIR_PATTERN.sub(MASK, text))


class MaskPersonalNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Format once with the arguments, then mask: a NIR passed as %s argument is caught too.
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = mask_personal_numbers(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_numbers(record.exc_text)
        return True


class JsonFormatter(_BaseJsonFormatter):
    converter = time.gmtime  # UTC timestamps (ASVS 16.2.2)

    def formatException(self, ei) -> str:
        return mask_personal_numbers(super().formatException(ei))
