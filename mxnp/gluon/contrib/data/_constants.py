"""Constants of the contributed data sets."""
from __future__ import annotations

EOS_TOKEN = "<eos>"  # appended to every line of a WikiText file
