"""What single registries add: photos without metadata, the grading caps, model year reviews."""

import io
from datetime import date

import pytest
from PIL import Image

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.models import AuditEvent
from phongtrao.registries import files, services
from phongtrao.registries.models import (
    FestivalEvent,
    FestivalPhoto,
    Grade,
    MemberGrading,
    Rating,
    ReviewStatus,
    SchemeType,
    SecurityTeam,
    TeamGrading,
    TeamMember,
    TeamRole,
)
from phongtrao.registries.services.festivals import festival_photo_add
from phongtrao.registries.services.schemes import (
    scheme_create,
    scheme_point_add,
    scheme_review_set,
)
from phongtrao.registries.services.teams import member_grade, team_grade, team_member_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh bí mật"  # camera maker
    exif[0x8825] = {1: "N", 2: (14.0, 21.0, 0.0), 3: "E", 4: (107.0, 35.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def event(bo_y):
    return services.entry_create(
        actor=None, model=FestivalEvent,
        data={"unit": bo_y, "held_on": date(2025, 8, 19), "venue": "Sân UBND xã"},
    )  # fmt: skip


def test_a_photo_is_kept_without_exif_and_with_a_thumbnail(event):
    # given a JPEG carrying a GPS position and a camera name
    content = _jpeg_with_gps()
    assert Image.open(io.BytesIO(content)).getexif()
    # when
    photo = festival_photo_add(actor=None, event=event, name="ngay-hoi.jpg", content=content)
    # then
    kept = Image.open(files.path_of(photo.image))
    assert (kept.format, kept.size, dict(kept.getexif())) == ("JPEG", (800, 600), {})
    assert b"Exif" not in files.path_of(photo.image).read_bytes()
    assert max(Image.open(files.path_of(photo.thumbnail)).size) == 320
    assert str(files.media_root()) in str(files.path_of(photo.image))


def test_a_photo_over_the_limit_is_refused_with_a_clear_message(event):
    # when
    with pytest.raises(AppError) as refused:
        festival_photo_add(
            actor=None, event=event, name="to.jpg", content=b"x" * (files.MAX_PHOTO_BYTES + 1)
        )
    # then
    assert refused.value.message == "Ảnh lớn hơn 10 MB; hãy giảm kích thước rồi tải lên lại."
    assert FestivalPhoto.objects.count() == 0


def test_a_file_that_is_not_a_jpeg_or_png_is_refused(event):
    # given a GIF
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    # when
    with pytest.raises(AppError) as refused:
        festival_photo_add(actor=None, event=event, name="a.gif", content=out.getvalue())
    # then
    assert refused.value.message == "Chỉ nhận ảnh JPEG và PNG."
    assert FestivalPhoto.objects.count() == 0


def test_a_point_started_in_a_later_year_makes_that_year_replicated(bo_y, make_area):
    # given a model founded in 2024
    scheme = scheme_create(
        actor=None,
        data={"unit": bo_y, "name": "Camera an ninh", "founded_on": date(2024, 3, 1),
              "scheme_type": SchemeType.objects.get(code="camera_an_ninh")},
    )  # fmt: skip
    # when a point starts in 2025
    scheme_point_add(actor=None, scheme=scheme, unit=make_area(bo_y), started_on=date(2025, 2, 1))
    # then
    statuses = dict(scheme.reviews.values_list("year", "status"))
    assert statuses == {2024: ReviewStatus.NEW, 2025: ReviewStatus.REPLICATED}


def test_excellent_teams_are_capped_at_a_fifth_of_the_good_ones(bo_y, make_area):
    # given four teams graded "good" and one "excellent" in 2025 (1 <= 20% of 4 is false)
    teams = [
        services.entry_create(
            actor=None,
            model=SecurityTeam,
            data={
                "unit": bo_y,
                "name": f"Tổ {n}",
                "areas": [make_area(bo_y, f"Thôn {n}")],
                "established_on": date(2025, 8, 1),
            },
        )  # fmt: skip
        for n in range(6)
    ]
    for team in teams[:4]:
        team_grade(actor=None, team=team, year=2025, grade=Grade.GOOD)
    # when the fifth is graded excellent
    with pytest.raises(AppError) as refused:
        team_grade(actor=None, team=teams[4], year=2025, grade=Grade.EXCELLENT)
    # then it is refused with the numbers, and nothing was written
    assert "20%" in refused.value.message and "Xã Bờ Y" in refused.value.message
    assert TeamGrading.objects.filter(grade=Grade.EXCELLENT).count() == 0
    # when a fifth team is graded good, one excellent fits
    team_grade(actor=None, team=teams[5], year=2025, grade=Grade.GOOD)
    team_grade(actor=None, team=teams[4], year=2025, grade=Grade.EXCELLENT)
    assert TeamGrading.objects.filter(grade=Grade.EXCELLENT).count() == 1


@pytest.fixture
def members(bo_y, make_area):
    """Six members of one team of Xã Bờ Y."""
    team = services.entry_create(
        actor=None, model=SecurityTeam,
        data={"unit": bo_y, "name": "Tổ thôn Iệc", "areas": [make_area(bo_y, "Thôn Iệc")],
              "established_on": date(2025, 8, 1)},
    )  # fmt: skip
    return [
        team_member_save(
            actor=None,
            team=team,
            member=TeamMember(
                full_name=f"Tổ viên {n}", role=TeamRole.MEMBER, appointed_on=date(2025, 8, 1)
            ),
        )  # fmt: skip
        for n in range(6)
    ]


def _grades() -> dict[str, str]:
    return dict(MemberGrading.objects.values_list("member__full_name", "grade"))


def test_excellent_members_over_a_fifth_of_the_good_ones_are_refused(members):
    # given four members graded "good" in 2025
    for member in members[:4]:
        member_grade(actor=None, member=member, year=2025, grade=Grade.GOOD)
    before = _grades(), AuditEvent.objects.count()
    # when a fifth is graded excellent (1 is more than 20% of 4)
    with pytest.raises(AppError) as refused:
        member_grade(actor=None, member=members[4], year=2025, grade=Grade.EXCELLENT)
    # then it is refused with the numbers, and nothing changed
    assert refused.value.code == ErrorCode.INVALID
    assert refused.value.message == (
        "Tại Xã Bờ Y năm 2025, số thành viên xếp loại “hoàn thành xuất sắc nhiệm vụ” không "
        "được vượt quá 20% số xếp loại “hoàn thành tốt nhiệm vụ” (4), tức là 0; xếp loại này "
        "sẽ thành 1."
    )
    assert (_grades(), AuditEvent.objects.count()) == before


def test_excellent_members_at_a_fifth_of_the_good_ones_are_accepted(members):
    # given five members graded "good" in 2025
    for member in members[:5]:
        member_grade(actor=None, member=member, year=2025, grade=Grade.GOOD)
    # when the sixth is graded excellent (1 is exactly 20% of 5)
    grading = member_grade(actor=None, member=members[5], year=2025, grade=Grade.EXCELLENT)
    # then it is kept
    assert MemberGrading.objects.get(pk=grading.pk).grade == Grade.EXCELLENT
    assert list(_grades().values()).count(Grade.EXCELLENT) == 1


@pytest.fixture
def scheme(bo_y):
    """A model founded in 2024: it has the review "newly built" for 2024."""
    return scheme_create(
        actor=None,
        data={"unit": bo_y, "name": "Camera an ninh", "founded_on": date(2024, 3, 1),
              "scheme_type": SchemeType.objects.get(code="camera_an_ninh")},
    )  # fmt: skip


def _reviews(scheme) -> list[tuple]:
    return list(scheme.reviews.order_by("year").values_list("year", "status", "rating", "comment"))


def test_newly_built_is_refused_after_the_founding_year(scheme):
    # given
    before = _reviews(scheme), AuditEvent.objects.count()
    # when 2025 is reviewed as newly built
    with pytest.raises(AppError) as refused:
        scheme_review_set(actor=None, scheme=scheme, year=2025, status=ReviewStatus.NEW)
    # then it is refused, naming the field, and nothing changed
    assert refused.value.code == ErrorCode.INVALID
    assert refused.value.message == (
        'Dữ liệu không hợp lệ: trạng thái: Mô hình chỉ là "xây dựng mới" trong năm thành lập.'
    )
    assert (_reviews(scheme), AuditEvent.objects.count()) == before


def test_a_review_before_the_founding_year_is_refused(scheme):
    # given
    before = _reviews(scheme)
    # when
    with pytest.raises(AppError) as refused:
        scheme_review_set(actor=None, scheme=scheme, year=2023, status=ReviewStatus.MAINTAINED)
    # then
    assert refused.value.message == "Dữ liệu không hợp lệ: năm: Năm đó mô hình chưa được thành lập."
    assert _reviews(scheme) == before


def test_a_year_review_keeps_its_effectiveness_and_comment(scheme):
    # when the founding year is rated and the next year is reviewed as maintained
    scheme_review_set(
        actor=None, scheme=scheme, year=2024, status=ReviewStatus.NEW, rating=Rating.FAIR,
        comment="Mới lắp 2 camera",
    )  # fmt: skip
    scheme_review_set(
        actor=None, scheme=scheme, year=2025, status=ReviewStatus.MAINTAINED,
        rating=Rating.GOOD, comment="Giúp phát hiện 3 vụ trộm cắp",
    )  # fmt: skip
    # then both are stored as given
    assert _reviews(scheme) == [
        (2024, ReviewStatus.NEW, Rating.FAIR, "Mới lắp 2 camera"),
        (2025, ReviewStatus.MAINTAINED, Rating.GOOD, "Giúp phát hiện 3 vụ trộm cắp"),
    ]
