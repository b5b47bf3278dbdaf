"""Domain rules shared by the online wizard and the officer walk-in screens; no Flask request state."""
