"""What the pages of the apps below show of the link with the mutuelles.

The insured person's space (affiliation) and their statements (reimbursements) show the
complementary contracts and what each statement's mutuelle received, but those apps do not
import `mutuelles`: their templates, which belong to the project, load these tags
(README.md, "Static checks": the layering lint-imports checks). Each tag costs a fixed number
of queries whatever the number of rows.
"""

from collections.abc import Iterable

from django import template

from affiliation.models import InsuredPerson
from mutuelles.services.contracts import FileCover, file_cover
from mutuelles.services.transmission_status import TransmissionStatus, statuses_for
from reimbursements.models import Statement

register = template.Library()


@register.simple_tag
def contracts_of_file(holder: InsuredPerson) -> FileCover:
    """`{% contracts_of_file person as cover %}`: cover.contracts, cover.conflicts."""
    return file_cover(holder)


@register.simple_tag
def with_transmission_statuses(
    statements: Iterable[Statement],
) -> list[tuple[Statement, TransmissionStatus]]:
    """`{% with_transmission_statuses page.object_list as rows %}`, then
    `{% for statement, transmission in rows %}`."""
    statements = list(statements)
    statuses = statuses_for(statements)
    return [(statement, statuses[statement.pk]) for statement in statements]


@register.simple_tag
def transmission_status_of(statement: Statement) -> TransmissionStatus:
    """`{% transmission_status_of statement as transmission %}`."""
    return statuses_for([statement])[statement.pk]
