"""A user's notification options (Sentry's ``/users/{user}/notification-options/``): alert
e-mail on or off, for the user, an organization or a project."""

from __future__ import annotations

from sqlalchemy import select

from sentryapi.api import NUMBER, Endpoint, NotFound, Ordering, db, get_or_404, paginate, parse_id

from . import examples
from .blueprint import blp
from .models import NotificationOption
from .schemas import NotificationOptionSchema, NotificationOptionWriteSchema

OPTIONS = "/users/<user_id>/notification-options/"
BY_ID = Ordering(NotificationOption.id, NotificationOption.id, descending=False, kind=NUMBER)
ANY_USER = ()  # the user themself, with any token of theirs; nobody else (404)


def serialize(option) -> dict:
    return {"id": option.id, "type": option.type, "scopeType": option.scope_type,
            "scopeIdentifier": str(option.scope_identifier), "value": option.value, "user_id": str(option.user_id)}


class UserEndpoint(Endpoint):
    scope_map = {"GET": ANY_USER, "PUT": ANY_USER, "DELETE": ANY_USER}

    def own_user_id(self, user_id: str) -> int:
        if self.user is None or (user_id != "me" and parse_id(user_id) != self.user.id):
            raise NotFound()
        return self.user.id

    def options_of(self, user_id: int):
        return select(NotificationOption).where(NotificationOption.user_id == user_id)


@blp.route(OPTIONS)
class NotificationOptionIndex(UserEndpoint):
    public = frozenset({"GET", "PUT"})

    @blp.doc(operationId="listUserNotificationOptions")
    @blp.paginated_response(NotificationOptionSchema(many=True), example=[examples.NOTIFICATION_OPTION])
    def get(self, user_id):
        """List your notification options (`me` for yourself).

        `type: alerts` with `value: never` stops alert e-mail: for you everywhere
        (`scopeType: user`), in an organization, or in a project; the narrowest scope wins.
        """
        stmt = self.options_of(self.own_user_id(user_id))
        return paginate(stmt, BY_ID).serialize(lambda rows: [serialize(o) for o in rows])

    @blp.doc(operationId="updateUserNotificationOptions")
    @blp.arguments(NotificationOptionWriteSchema, example={"type": "alerts", "scopeType": "user",
                                                          "scopeIdentifier": "me", "value": "never"})
    @blp.response(200, NotificationOptionSchema, example=examples.NOTIFICATION_OPTION)
    def put(self, data, user_id):
        """Set a notification option (`scopeIdentifier`: your user id, an organization's or a project's id)."""
        own = self.own_user_id(user_id)
        scope = own if data["scopeType"] == "user" else parse_id(data["scopeIdentifier"])
        option = db.session.scalar(self.options_of(own).where(
            NotificationOption.type == data["type"], NotificationOption.scope_type == data["scopeType"],
            NotificationOption.scope_identifier == scope))
        if option is None:
            option = NotificationOption(user_id=own, type=data["type"], scope_type=data["scopeType"],
                                        scope_identifier=scope)
            db.session.add(option)
        option.value = data["value"]
        db.session.commit()
        return serialize(option)


@blp.route(OPTIONS + "<option_id>/")
class NotificationOptionDetails(UserEndpoint):
    public = frozenset({"DELETE"})

    @blp.doc(operationId="deleteUserNotificationOption")
    @blp.response(204)
    def delete(self, user_id, option_id):
        """Remove a notification option (the default, `always`, applies again)."""
        own = self.own_user_id(user_id)
        db.session.delete(get_or_404(self.options_of(own).where(NotificationOption.id == parse_id(option_id))))
        db.session.commit()
