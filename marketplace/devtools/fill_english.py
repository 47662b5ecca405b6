"""Fill the English catalog: our source strings are English, so each translation is its msgid."""

import sys

from babel.messages.pofile import read_po, write_po


def fill(path: str) -> int:
    with open(path, "rb") as f:
        catalog = read_po(f, locale="en")
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string or ()):
                message.string = (message.id[0], message.id[1])
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with open(path, "wb") as f:
        write_po(f, catalog, width=100)
    return filled


if __name__ == "__main__":
    print(f"filled {fill(sys.argv[1])} English strings")
