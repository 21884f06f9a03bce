"""The bottom layer's models: agencies and staff, partners, the academy. Every other app
points at them; they point at nothing of the project."""

from agences.models.academy import (
    AgentSkill,
    AttendanceStatus,
    InvitationReply,
    Skill,
    SkillCategory,
    SkillLevel,
    TrainingAttendance,
    TrainingSession,
)
from agences.models.audit import StaffChange, StaffChangeField
from agences.models.partners import (
    CommitmentMeasure,
    CommitmentParty,
    Partner,
    PartnerCommitment,
    PartnerComplianceMonth,
    PartnerMember,
)
from agences.models.staff import Agency, Agent, AgentAbsence, default_opening_hours

__all__ = [
    "InvitationReply",
    "Agency",
    "Agent",
    "AgentAbsence",
    "AgentSkill",
    "AttendanceStatus",
    "CommitmentMeasure",
    "CommitmentParty",
    "Partner",
    "PartnerCommitment",
    "PartnerComplianceMonth",
    "PartnerMember",
    "Skill",
    "StaffChange",
    "StaffChangeField",
    "SkillCategory",
    "SkillLevel",
    "TrainingAttendance",
    "TrainingSession",
    "default_opening_hours",
]
