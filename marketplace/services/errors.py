"""The one error type services raise: a machine code, a translated message, the field at fault."""


class ServiceError(Exception):
    #: HTTP status the API answers with for this code (views may map differently)
    status = 400

    def __init__(
        self, message: str, code: str, field: str | None = None, status: int | None = None
    ):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.field = field
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
