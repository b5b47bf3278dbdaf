"""Database models, one module per aggregate, re-exported here so callers import from portal.models."""

from portal.models.accounts import Account, EmailLog
from portal.models.applications import Address, Application, OtpCode, Photo, SmsLog
from portal.models.base import BaseModel, db, utcnow
from portal.models.sessions import LoginSession

# Creation order: a table comes after the tables it refers to.
ALL_MODELS = [Account, EmailLog, Application, Address, Photo, OtpCode, SmsLog, LoginSession]

__all__ = ["ALL_MODELS", "Account", "Address", "Application", "BaseModel", "EmailLog", "LoginSession",
           "OtpCode", "Photo", "SmsLog", "db", "utcnow"]
