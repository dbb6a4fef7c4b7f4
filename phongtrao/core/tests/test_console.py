import io

from django.core.management.base import OutputWrapper

from phongtrao.core.console import progress_writer


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_written_without_the_error_style_of_standard_error():
    # given a command's stderr on a terminal, styled as errors
    terminal = Terminal()
    stderr = OutputWrapper(terminal)
    stderr.style_func = lambda text: f"<lỗi>{text}</lỗi>"
    # when a progress line and then an error are written to it
    progress_writer(stderr)("Đã kiểm tra 100.000 giá trị…")
    stderr.write("Không đọc được tệp.")
    # then only the error carries the error style (Django styles the line with its ending)
    assert terminal.getvalue() == "Đã kiểm tra 100.000 giá trị…\n<lỗi>Không đọc được tệp.\n</lỗi>"
