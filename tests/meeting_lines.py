"""The three-speaker script that tests and benchmarks have spoken: (speaker, text) per line.

Plain data, no imports: benchmarks load it before Django (and numpy) are set up.
"""

SCRIPT = [
    ("Alice Smith", "Good morning everyone. Today we will talk about the budget for next year."),
    ("Bob Jones", "Thank you Alice. Sales were very good in the first quarter."),
    ("Carol White", "We need two new people in the support team."),
    ("Alice Smith", "When can we start looking for them?"),
    ("Bob Jones", "We can start next week, after the board meeting."),
    ("Carol White", "Great. I will write the plan and send it to everyone."),
]
