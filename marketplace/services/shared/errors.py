"""The one error type services raise: a machine code, a translated message, the field at fault."""


class ServiceError(Exception):
    #: HTTP status the API answers with for this code (views may map differently)
    status = 400

    def __init__(
        self,
        message: str,
        code: str,
        field: str | None = None,
        status: int | None = None,
        problems: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field
        #: every field found wrong, {field: message}, when a check looks at several at once; the
        #: first is also `message`/`field`, which the API answers with
        self.problems = problems or ({field: self.message} if field else {})
        if status is not None:
            self.status = status

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Forbidden(ServiceError):
    status = 403
