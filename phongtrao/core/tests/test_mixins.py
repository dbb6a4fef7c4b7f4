import pytest

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.mixins import RefusalMixin


class ShowsForbidden(RefusalMixin):
    shown_codes = frozenset({ErrorCode.FORBIDDEN})


@pytest.mark.parametrize("code", [ErrorCode.INVALID, ErrorCode.CONFLICT, ErrorCode.THROTTLED])
def test_a_refusal_the_page_can_explain_is_its_message(code):
    assert RefusalMixin().refusal_message(AppError(code, "Không được.")) == "Không được."


@pytest.mark.parametrize("code", [ErrorCode.NOT_FOUND, ErrorCode.OUT_OF_SCOPE, ErrorCode.FORBIDDEN])
def test_missing_out_of_scope_and_forbidden_go_on_to_the_middleware(code):
    error = AppError(code, "Không có.")
    with pytest.raises(AppError) as raised:
        RefusalMixin().refusal_message(error)
    assert raised.value is error


def test_a_page_may_say_forbidden_itself_but_never_out_of_scope():
    page = ShowsForbidden()
    assert page.refusal_message(AppError(ErrorCode.FORBIDDEN, "Không được.")) == "Không được."
    with pytest.raises(AppError):
        page.refusal_message(AppError(ErrorCode.OUT_OF_SCOPE, "Không có."))
