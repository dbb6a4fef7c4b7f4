"""The kinds of report: each has its wording module (title, sections, annex) and file name.

Everything else — the header block, the DOCX/PDF/XLSX rendering, jobs, the page and the
command — is the same for every kind and takes the kind as a parameter.
"""

from dataclasses import dataclass
from types import ModuleType

from phongtrao.documents import wording, wording_movement
from phongtrao.documents.models import ReportKind


@dataclass(frozen=True)
class KindSpec:
    kind: ReportKind
    words: ModuleType
    file_stem: str  # "bao-cao-ngay-hoi": bao-cao-ngay-hoi-2019-23377-hien-nay.docx
    # Whether the narrative uses the registries' ratings and gradings (wording_movement).
    registry_figures: bool = False


KINDS: dict[str, KindSpec] = {
    ReportKind.FESTIVAL: KindSpec(ReportKind.FESTIVAL, wording, "bao-cao-ngay-hoi"),
    ReportKind.MOVEMENT: KindSpec(
        ReportKind.MOVEMENT, wording_movement, "bao-cao-phong-trao", registry_figures=True
    ),
}


def kind_spec(kind: str = ReportKind.FESTIVAL) -> KindSpec:
    return KINDS[ReportKind(kind)]
