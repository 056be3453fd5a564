"""No admin pages for referrals, on purpose.

A referral carries case content (the question, the answer, the feedback, the plan) and the
administrator manages users and reference lists but sees no case content (SECURITY.md
"Access"). Referrals are read and changed through the pages and the API, which check who may.
"""
