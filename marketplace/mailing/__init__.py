"""Mail rendered from templates: the outbox handlers that tell people what happened.

Services never mail: they emit an outbox message in their own transaction; a worker delivers it
here, where templates and links may be built.
"""
