"""The xAPI resources served under /xapi/, one module each."""
