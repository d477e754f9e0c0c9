"""`make bench`: simulated signed-in tabs over real websockets against the real server.

Run `python -m bench --help` for the options; docs/performance.md records the figures
for this machine and the command that produced them.
"""
