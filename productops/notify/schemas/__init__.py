"""The reminder preferences as the API reads and writes them."""

from ninja import Schema


class ReminderKindOut(Schema):
    kind: str
    label: str
    description: str
    enabled: bool


class PreferencesOut(Schema):
    address: str
    kinds: list[ReminderKindOut]


class PreferencesIn(Schema):
    # kind -> on (true) or off (false); kinds not named stay as they are
    kinds: dict[str, bool]
