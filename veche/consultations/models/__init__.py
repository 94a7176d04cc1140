"""The consultation and what every part of the app shares: standards, participants, documents and contributions.

Each part (set-up, documents and comments, surveys, report) adds its own satellite models in its own module here;
they point at these, never the other way round."""

from veche.consultations.models.consultation import Consultation, ConsultationMethod, ConsultationTargetGroup
from veche.consultations.models.contributions import Contribution
from veche.consultations.models.documents import Document, Paragraph, Section
from veche.consultations.models.documents_extras import Attachment, OneTimeCode, OneTimeCodeBatch, Support
from veche.consultations.models.evaluation import EvaluationAnswer, StandardAssessment, StandardRating
from veche.consultations.models.participants import Participant
from veche.consultations.models.population import PopulationDimension, PopulationFigure
from veche.consultations.models.report import ConsultationReport, ReportBuild, ReportState
from veche.consultations.models.responses import OfficialResponse, ResponseOutcome, Theme, ThemeMember
from veche.consultations.models.standards import StandardItem, StandardSet
from veche.consultations.models.surveys import Option, Question, Survey, SurveyAnswer, SurveyResponse

__all__ = [
    "Consultation",
    "ConsultationMethod",
    "ConsultationTargetGroup",
    "Contribution",
    "Document",
    "Paragraph",
    "Participant",
    "Section",
    "StandardItem",
    "StandardSet",
    "OfficialResponse",
    "ResponseOutcome",
    "Theme",
    "ThemeMember",
    "Survey",
    "Question",
    "Option",
    "SurveyResponse",
    "SurveyAnswer",
    "ConsultationReport",
    "ReportBuild",
    "ReportState",
    "PopulationDimension",
    "PopulationFigure",
    "EvaluationAnswer",
    "StandardAssessment",
    "StandardRating",
    "Attachment",
    "OneTimeCode",
    "OneTimeCodeBatch",
    "Support",
]
