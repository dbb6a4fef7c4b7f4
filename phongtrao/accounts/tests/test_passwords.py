import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from phongtrao.accounts.passwords import DEMO_PASSWORD


def test_setting_the_demo_password_is_refused_in_vietnamese():
    # when a password is checked against the project's validators, then the demo's is refused
    with pytest.raises(ValidationError) as exc:
        validate_password(DEMO_PASSWORD)
    assert exc.value.messages == [
        "Đây là mật khẩu của bản trình diễn, ai cũng biết. Hãy chọn mật khẩu khác."
    ]


def test_another_strong_password_passes():
    assert validate_password("Một-mật-khẩu-khác-2026") is None
