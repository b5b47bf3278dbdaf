"""Form definitions shared by the applicant wizard and the officer walk-in screens."""
