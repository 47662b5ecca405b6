"""Developer tools: the demo catalogue and its seed command, demo pictures, the Stripe emulator.

Left out of the wheel (setup.py): an installed site has none of them and no `flask demo`.
"""
