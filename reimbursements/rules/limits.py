"""What one care sheet may hold: the same bounds for every layer that reads a sheet. Pure.

The insured person's form and staff keying (`reimbursements.forms.care_sheets`), the submission
service (`reimbursements.services.submission`), and the public simulator (its API serializer
and its page) refuse past these bounds, each in its own words. The engine refuses a line amount
past the dated parameter `reimbursement.line.max_amount` (reimbursements/data/parameters.csv),
which holds the same figure (a test keeps them equal).

None of them is a regulatory figure: they catch typing errors and absurd input, so each is set
where no real sheet goes. The simulator's API publishes them (its schema's `maximum` and
`maxItems`) and may only widen: a layer that stopped earlier was raised to them.
"""

import re
from decimal import Decimal

# A line's amount charged, or its base per unit. A hospital stay's GHS base can reach tens of
# thousands of euros; nothing on one line reaches this. A sheet sent online with a high amount is
# not paid unread either: above REVIEW_THRESHOLD (forms/care_sheets.py) an agent compares it with
# its scan first.
MAX_LINE_AMOUNT = Decimal("100000.00")
# Acts or boxes, or the coefficient of a key letter (AMI 1.5, B 70): a thousand is beyond any.
MAX_QUANTITY = Decimal("1000")
# Lines of one sheet: every act of the sheet is one line.
MAX_LINES = 30
# An act code as printed (G, APC, AMI, PH7, GHS…): letters and digits, twelve at most.
ACT_CODE = re.compile(r"[A-Z0-9]{1,12}")
