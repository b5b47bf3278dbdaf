"""Database models, one module per aggregate, re-exported here so callers import from portal.models."""

from portal.models.accounts import Account, EmailLog
from portal.models.applications import Address, Application, OtpCode, Photo, SmsLog
from portal.models.base import BaseModel, db, utcnow
from portal.models.batches import Batch, NikDispute
from portal.models.messages import OutboxMessage
from portal.models.review import Quota, Ratification, RatificationEntry, ReceivedRecord
from portal.models.regions import REFERENCE_MODELS, Village, VillageKey
from portal.models.sessions import LoginSession
from portal.models.staff import OFFICE_KINDS, AuditEntry, Office, RecoveryCode, SecondFactor
from portal.models.waves import StatementLetter, Wave, WaveEntry, WaveQuota

# Records (tests wipe them per test); reference tables are REFERENCE_MODELS (portal.models.regions).
# Creation order: a table comes after the tables it refers to.
ALL_MODELS = [Office, Account, EmailLog, Batch, Application, Address, Photo, OtpCode, SmsLog, OutboxMessage,
              LoginSession, SecondFactor, RecoveryCode, AuditEntry, NikDispute, Wave, WaveQuota, WaveEntry,
              StatementLetter, Quota, ReceivedRecord, Ratification, RatificationEntry]

__all__ = ["ALL_MODELS", "OFFICE_KINDS", "REFERENCE_MODELS", "Account", "Address", "Application", "AuditEntry",
           "BaseModel", "Batch", "EmailLog", "LoginSession", "NikDispute", "Office", "OtpCode", "OutboxMessage",
           "Photo", "Quota", "Ratification", "RatificationEntry", "ReceivedRecord", "RecoveryCode", "SecondFactor",
           "SmsLog", "StatementLetter", "Village", "VillageKey", "Wave", "WaveEntry", "WaveQuota", "db", "utcnow"]
