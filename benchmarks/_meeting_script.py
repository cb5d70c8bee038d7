"""What the benchmarks' simulated participants say.

`SHORT` is the six-line script of the tests. `LONG` is a whole stand-up of 436 words: with 60
words one misheard word moves WER by 1.7 points, too coarse to compare live with offline within a
point, so the WER figures come from this one.
"""

import sys
from pathlib import Path

# The repository, for the tests' script: this module is imported before Django is set up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.meeting_lines import SCRIPT as SHORT  # noqa: E402

LONG = SHORT + [
    ("Alice Smith", "Before we move on, how is the new website coming along?"),
    ("Bob Jones", "The design is finished and the developers started building the pages on Monday."),
    ("Carol White", "Customers keep asking when they can pay by card on the website."),
    ("Bob Jones", "Card payments are planned for the second release, at the end of the summer."),
    ("Alice Smith", "That sounds late. Could we bring it forward by a month?"),
    ("Bob Jones", "Only if we drop the search page or find another developer."),
    ("Carol White", "I would rather keep the search page. People use it every day."),
    ("Alice Smith", "Then let us ask the finance team whether we can hire a contractor."),
    ("Bob Jones", "I can call them this afternoon and report back tomorrow morning."),
    ("Carol White", "While we are on support, the phone lines were very busy last week."),
    ("Alice Smith", "Was that because of the problem with the invoices?"),
    ("Carol White", "Yes, most calls were about invoices that were sent twice."),
    ("Bob Jones", "The billing system sent them again after the update on Tuesday."),
    ("Alice Smith", "Have we written to the customers who were affected?"),
    ("Carol White", "We sent an apology by email and refunded every second payment."),
    ("Bob Jones", "The bug is fixed and we added a test so it cannot happen again."),
    ("Alice Smith", "Good. Please write a short report so the board knows what happened."),
    ("Carol White", "I will do that today and share it with both of you."),
    ("Alice Smith", "Next, the office move. The new building is ready in October."),
    ("Bob Jones", "Do we know how many desks we will have on each floor?"),
    ("Alice Smith", "About forty on the first floor and thirty on the second."),
    ("Carol White", "The support team would like to sit together near the kitchen."),
    ("Bob Jones", "The developers need a quiet room for calls with customers."),
    ("Alice Smith", "I will send a plan of both floors and you can mark where you want to sit."),
    ("Carol White", "Will people still be able to work from home two days a week?"),
    ("Alice Smith", "Yes, nothing changes there. Most people already work from home on Fridays."),
    ("Bob Jones", "Then we could share desks and save some space for a second meeting room."),
    ("Alice Smith", "That is a good idea. Let us talk about it at the next meeting."),
    ("Carol White", "One more thing. The training for new staff starts on the first of the month."),
    ("Bob Jones", "Who is giving the training this time?"),
    ("Carol White", "Two people from my team and one from sales."),
    ("Alice Smith", "Thank you all. Let us meet again next Thursday at ten."),
]
