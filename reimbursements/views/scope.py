"""What an insured person may see of reimbursements: their file, as it is today.

A sheet or statement is visible to the holder of the file it was filed on, and only while its
beneficiary is still on that file: a dependant who left (an adult child with a file of their
own, a former spouse) takes their care out of the holder's view. Every page fetches through
these querysets, so another person's object is a 404, never a 403. The persons on the file are
a subquery, never a second round trip.
"""

from django.db.models import QuerySet

from affiliation.models import Beneficiary, InsuredPerson
from reimbursements.models import CareSheet, Statement, StatementLine


def persons_on_file(holder: InsuredPerson) -> QuerySet:
    return Beneficiary.objects.filter(holder=holder).values("person")


def visible_sheets(holder: InsuredPerson) -> QuerySet[CareSheet]:
    return CareSheet.objects.filter(holder=holder, beneficiary__in=persons_on_file(holder))


def visible_statements(holder: InsuredPerson) -> QuerySet[Statement]:
    return Statement.objects.filter(holder=holder, beneficiary__in=persons_on_file(holder))


def visible_lines(holder: InsuredPerson) -> QuerySet[StatementLine]:
    return StatementLine.objects.filter(
        statement__holder=holder, statement__beneficiary__in=persons_on_file(holder)
    )
