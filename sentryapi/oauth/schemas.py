"""Request and response schemas of the application and authorization endpoints."""

from __future__ import annotations

from urllib.parse import urlsplit

from marshmallow import ValidationError, fields, pre_load, validate

from ..web.schemas import DateTime, Id, Schema

MAX_URIS = 32
URL_KEYS = ("homepageUrl", "privacyUrl", "termsUrl")


def _no_fragment(value: str) -> None:
    if urlsplit(value).fragment or value.endswith("#"):
        raise ValidationError("A redirect URI must not contain a fragment.")


def _url(**kwargs) -> fields.URL:
    return fields.URL(schemes={"http", "https"}, require_tld=False,
                      validate=kwargs.pop("validate", validate.Length(max=255)), **kwargs)


class ApplicationSchema(Schema):
    id = fields.String(metadata={"description": "The client id."})
    clientID = fields.String()
    clientSecret = fields.String(allow_none=True, metadata={
        "description": "Shown only when the application is created or its secret rotated."})
    name = fields.String()
    homepageUrl = fields.String(allow_none=True)
    privacyUrl = fields.String(allow_none=True)
    termsUrl = fields.String(allow_none=True)
    allowedOrigins = fields.List(fields.String())
    redirectUris = fields.List(fields.String())


class ApplicationInputSchema(Schema):
    """What a caller may set, on creation (all optional) and on update (partial)."""

    name = fields.String(validate=validate.Length(min=1, max=64))
    redirectUris = fields.List(
        _url(validate=[validate.Length(max=255), _no_fragment]), validate=validate.Length(max=MAX_URIS)
    )
    allowedOrigins = fields.List(fields.String(validate=validate.Length(min=1, max=255)),
                                 validate=validate.Length(max=MAX_URIS))
    homepageUrl = _url(allow_none=True)
    privacyUrl = _url(allow_none=True)
    termsUrl = _url(allow_none=True)

    @pre_load
    def _blank_urls_are_none(self, data, **kwargs):
        """Sentry accepts ``""`` for the optional URLs and stores nothing."""
        if isinstance(data, dict):
            data = {k: (None if k in URL_KEYS and v == "" else v) for k, v in data.items()}
        return data


class RotatedSecretSchema(Schema):
    clientSecret = fields.String()


class AuthorizationSchema(Schema):
    id = Id()
    scopes = fields.List(fields.String())
    application = fields.Nested(ApplicationSchema)
    dateCreated = DateTime()


class AuthorizationDeleteSchema(Schema):
    authorization = fields.Integer(required=True, strict=False,
                                   validate=validate.Range(min=1, max=2**63 - 1))
