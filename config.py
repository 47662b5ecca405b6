"""The settings live in `marketplace/config.py`; `import config` from the checkout is that module.

The same module object, not a copy: `config.TestConfig is marketplace.config.TestConfig`.
"""

import sys

import marketplace.config

sys.modules[__name__] = marketplace.config
