"""peewee models: the one place the archive's records meet tables.

The models are bound to `database`, a proxy that `vault.db.connection.open_database` points at
the configured SQLite or PostgreSQL database.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


class BytesField(BlobField):
    """A blob read back as `bytes` on every database (PostgreSQL's driver gives a memoryview)."""

    def python_value(self, value):
        return bytes(value) if isinstance(value, memoryview) else value


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version this database has been migrated to."""

    version = IntegerField()


class Location(BaseModel):
    """A home shelf location in the warehouse, e.g. "A-03-02"."""

    code = CharField(unique=True)


class Person(BaseModel):
    """A reader, leader or member of staff, named as on their papers."""

    name = CharField(unique=True)
    role = CharField(default="reader")  # reader, leader, archivist, security


class Folder(BaseModel):
    id = AutoField()
    code = CharField(unique=True)
    title = TextField()
    year = IntegerField(null=True)
    classification = CharField(index=True)
    retention = CharField(default="")
    location = ForeignKeyField(Location, backref="folders")
    state = CharField(default="shelved", index=True)
    holder = ForeignKeyField(Person, null=True, backref="holding")
    label_generation = IntegerField(default=0)  # the current label; earlier ones are void
    rfid_epc = CharField(null=True, unique=True)  # tag identity (EPC or 125 kHz id), upper hex
    # When the folder is due for appraisal (its retention period has run); None: kept forever
    # or no retention period given. Computed from year and retention when the folder is added.
    appraisal_on = DateField(null=True, index=True)


class LabelPrint(BaseModel):
    """One print of a folder's label; the newest generation is valid, the others void."""

    id = AutoField()
    folder = ForeignKeyField(Folder, backref="label_prints")
    generation = IntegerField()
    printed_at = DateTimeField()
    output = CharField()  # "pdf Avery L7160 labels.pdf", "zpl tcp://10.0.0.5:9100", …
    epc = CharField(null=True)  # the tag written in the same pass, if any

    class Meta:
        indexes = ((("folder", "generation"), True),)


class Station(BaseModel):
    """A configured scanner or reader; the bridge keeps its status current."""

    id = CharField(primary_key=True)
    kind = CharField()
    port = CharField()
    protocol = CharField(default="line")
    status = CharField(default="unknown")  # connected, disconnected, offline, unknown
    status_detail = TextField(default="")
    status_at = DateTimeField(null=True)
    # The bridge's figures for `vault bridge status` and the board, refreshed every second or so.
    frames = IntegerField(default=0)  # every frame decoded, repeats of a tag included
    reads = IntegerField(default=0)  # reads kept: repeats of a tag in the field collapsed
    rejected = IntegerField(default=0)  # garbled frames, bad checksums, truncated frames
    lost = IntegerField(default=0)  # frames a sequence-numbered device sent that never arrived
    last_read_at = DateTimeField(null=True)
    backlog = IntegerField(default=0)  # reads waiting in the bridge's spool
    reported_at = DateTimeField(null=True)  # when the bridge last wrote these figures


class Letter(BaseModel):
    """A visitor's introduction letter from their own unit, with the archivist's confirmation of
    its official seal. Never changed: a corrected letter is recorded again."""

    id = AutoField()
    unit = CharField()  # the unit that wrote the letter
    number = CharField()  # the letter's own number, e.g. "统函〔2026〕17号"
    issued_on = DateField()
    valid_until = DateField()
    covers = TextField()  # folder codes, code prefixes or subjects it names, one per line
    seal_confirmed_by = CharField()  # the archivist who saw the seal
    recorded_at = DateTimeField()

    class Meta:
        indexes = ((("unit", "number"), True),)


class Request(BaseModel):
    """A reader's request for folders, valid for a date range; approvals are separate rows.

    approved_by, opinion and approved_at are from before approvals were rows of their own: a
    request approved then was approved in one step by one leader."""

    reader = ForeignKeyField(Person, backref="requests")
    purpose = TextField(default="")
    valid_from = DateField()
    valid_until = DateField()
    approved_by = ForeignKeyField(Person, null=True, backref="approvals")
    opinion = TextField(default="")
    approved_at = DateTimeField(null=True)
    letter = ForeignKeyField(Letter, null=True, backref="requests")  # a visitor's letter
    created_by = CharField(default="")  # the archivist who recorded it
    created_at = DateTimeField(null=True)
    withdrawn_at = DateTimeField(null=True)  # withdrawn: nothing more is issued against it


class RequestItem(BaseModel):
    """One folder of a request; closed when the folder is back on its shelf."""

    request = ForeignKeyField(Request, backref="items", on_delete="CASCADE")
    folder = ForeignKeyField(Folder, backref="request_items")
    closed_at = DateTimeField(null=True)


class Approval(BaseModel):
    """One approver's decision on a request, naming the folders it covers. Never changed."""

    id = AutoField()
    request = ForeignKeyField(Request, backref="decisions")
    approver = CharField()  # the leader's name as they sign
    duty = CharField(default="leader")  # in what capacity: "leader" or "head" (of the unit)
    approved = BooleanField(default=True)  # False: refused
    opinion = TextField()
    at = DateTimeField()


class ApprovalFolder(BaseModel):
    """A folder an approval names."""

    approval = ForeignKeyField(Approval, backref="folders")
    folder = ForeignKeyField(Folder, backref="approvals")

    class Meta:
        indexes = ((("approval", "folder"), True),)


class CustodyEvent(BaseModel):
    """Every read and what it meant; append-only."""

    id = AutoField()
    event_id = CharField(unique=True)  # given by the bridge, so a replayed read is not doubled
    at = DateTimeField(index=True)
    station = ForeignKeyField(Station, null=True, backref="events")
    code = CharField(index=True)
    folder = ForeignKeyField(Folder, null=True, backref="events")
    kind = CharField()
    person = ForeignKeyField(Person, null=True)
    state_after = CharField(null=True)
    raw = BytesField(default=b"")
    staff = CharField(null=True)  # the signed-in archivist who scanned at the desk page
    witness = CharField(null=True)  # the second member of staff who confirmed the issue


class Alarm(BaseModel):
    """Raised by a rule, never deleted; acknowledged by security staff with a note."""

    id = AutoField()
    at = DateTimeField()
    rule = CharField()
    severity = CharField()
    reason = TextField()
    code = CharField()
    folder = ForeignKeyField(Folder, null=True, backref="alarms")
    station = ForeignKeyField(Station, null=True, backref="alarms")
    event = ForeignKeyField(CustodyEvent, null=True, backref="alarms")
    acknowledged_at = DateTimeField(null=True, index=True)
    acknowledged_by = CharField(default="")
    acknowledged_note = TextField(default="")


class User(BaseModel):
    """Someone who signs in to the web pages, or the guard-room screen (role "kiosk")."""

    id = AutoField()
    username = CharField(unique=True)
    display_name = CharField(default="")
    role = CharField()  # see vault.domain.access.Role
    password_hash = CharField(default="")  # "scrypt$n$r$p$salt$hash"; "" signs in by link only
    language = CharField(default="zh")  # "zh" or "en"
    disabled = BooleanField(default=False)
    created_at = DateTimeField()
    password_changed_at = DateTimeField(null=True)

    class Meta:
        table_name = "user_account"  # "user" is a reserved word in PostgreSQL


class WebSession(BaseModel):
    """A signed-in browser. Only a hash of the cookie's token is kept, so a copy of the database
    cannot be used to sign in."""

    id = AutoField()
    token_hash = CharField(unique=True)  # sha256 hex of the cookie's token
    user = ForeignKeyField(User, backref="sessions")
    kiosk = BooleanField(default=False)  # the long-lived guard-room screen
    csrf_token = CharField()  # every form of this session carries it
    created_at = DateTimeField()
    last_seen_at = DateTimeField()
    expires_at = DateTimeField(index=True)  # the absolute end; idle time is counted apart
    revoked_at = DateTimeField(null=True)  # signed out, or the user disabled


class SignInAttempt(BaseModel):
    """Every sign-in attempt, kept to slow down guessing and to show who tried."""

    id = AutoField()
    username = CharField()
    address = CharField()
    at = DateTimeField()
    succeeded = BooleanField()

    class Meta:
        indexes = ((("username", "at"), False), (("address", "at"), False))


class KioskLink(BaseModel):
    """A one-time link that signs a guard-room screen in as a kiosk account (hash kept only)."""

    id = AutoField()
    token_hash = CharField(unique=True)
    user = ForeignKeyField(User, backref="kiosk_links")
    created_at = DateTimeField()
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)


class ClosingRun(BaseModel):
    """The closing-time check of one day: run once, by whichever process gets there first."""

    day = DateField(primary_key=True)
    ran_at = DateTimeField()
    not_returned = IntegerField(default=0)


class Stocktake(BaseModel):
    """A count of the shelves against the register, for one scope."""

    id = AutoField()
    scope = CharField()  # all, room, shelves, classified
    scope_value = CharField(default="")  # the room's prefix, or "A-01-01..A-03-09"
    opened_at = DateTimeField()
    opened_by = CharField()
    closed_at = DateTimeField(null=True)
    closed_by = CharField(default="")


class StocktakeExpected(BaseModel):
    """A folder the register expected in the scope when the count opened (frozen then)."""

    stocktake = ForeignKeyField(Stocktake, backref="expected")
    folder = ForeignKeyField(Folder)
    code = CharField()
    location = CharField()
    state = CharField()
    holder = CharField(default="")
    classification = CharField()

    class Meta:
        indexes = ((("stocktake", "folder"), True),)


class StocktakeScan(BaseModel):
    """One code read during a count, with the shelf being counted when it was read."""

    id = AutoField()
    stocktake = ForeignKeyField(Stocktake, backref="scans")
    at = DateTimeField()
    source = CharField()  # the handheld station, or "desk:<username>"
    shelf = CharField(default="")  # the shelf location scanned last before this read
    code = CharField()
    folder = ForeignKeyField(Folder, null=True)

    class Meta:
        indexes = ((("stocktake", "folder"), False),)


class StocktakeResult(BaseModel):
    """What the count says so far about one folder or code, kept up to date as reads arrive so
    the count's page reads its lines in code order instead of reconciling a million rows.

    A row per expected folder from the opening (missing when it was shelved, issued when not),
    changed by each read of it; a row for a registered folder the count did not expect, once
    read on a shelf of the scope (`listed` False); a row for each code read on a shelf of the
    scope that names no folder (no folder). Mutable bookkeeping, rebuilt from the reads if ever
    in doubt: not audited."""

    stocktake = ForeignKeyField(Stocktake, backref="results")
    folder = ForeignKeyField(Folder, null=True)
    code = CharField()
    result = CharField()  # a `vault.domain.stocktake.Category` value
    listed = BooleanField(default=True)  # on the frozen expected list
    reads = IntegerField(default=0)  # how many times it was read during the count
    shelves = TextField(default="")  # the shelves it was read on, sorted, one a line ("" too)

    class Meta:
        indexes = (
            (("stocktake", "folder"), True),
            (("stocktake", "result", "code"), True),
        )


class StocktakeTally(BaseModel):
    """A count's running totals: one row per result, and "expected" (the frozen list), "reads"
    and "unexplained" (missing folders that stop it from closing), changed with the rows."""

    stocktake = ForeignKeyField(Stocktake, backref="tallies")
    result = CharField()
    count = IntegerField(default=0)

    class Meta:
        indexes = ((("stocktake", "result"), True),)


class StocktakeNote(BaseModel):
    """Why an expected folder was not found (e.g. "sent for repair, receipt 12")."""

    stocktake = ForeignKeyField(Stocktake, backref="notes")
    folder = ForeignKeyField(Folder)
    note = TextField()
    by = CharField()
    at = DateTimeField()


class Hold(BaseModel):
    """A hold on a folder (an investigation, a pending request): it cannot be destroyed."""

    id = AutoField()
    folder = ForeignKeyField(Folder, backref="holds")
    reason = TextField()
    placed_by = CharField()
    placed_at = DateTimeField()
    lifted_by = CharField(default="")
    lifted_at = DateTimeField(null=True)
    lift_note = TextField(default="")


class DestructionBatch(BaseModel):
    """Folders to be destroyed together, with the reason, the site and the supervisors."""

    id = AutoField()
    reason = TextField()
    site = CharField()  # where the pulping is done
    supervisors = TextField()  # who supervises it, one per line
    created_by = CharField()
    created_at = DateTimeField()


class DestructionItem(BaseModel):
    batch = ForeignKeyField(DestructionBatch, backref="items", on_delete="CASCADE")
    folder = ForeignKeyField(Folder, backref="destruction_items")

    class Meta:
        indexes = ((("batch", "folder"), True),)


class DestructionApproval(BaseModel):
    """One member of the archives leading group approving (or refusing) a batch. Never changed."""

    id = AutoField()
    batch = ForeignKeyField(DestructionBatch, backref="approvals")
    approver = CharField()
    approved = BooleanField(default=True)
    opinion = TextField()
    at = DateTimeField()


class Destruction(BaseModel):
    """The confirmation, after the pulping, that a batch was destroyed. Never changed."""

    id = AutoField()
    batch = ForeignKeyField(DestructionBatch, unique=True, backref="destruction")
    destroyed_on = DateField()
    confirmed_by = CharField()
    confirmed_at = DateTimeField()
    note = TextField(default="")


class ExternalRelease(BaseModel):
    """Statistical data provided to an outside unit. Never changed."""

    id = AutoField()
    unit = CharField()
    letter_number = CharField()
    letter_date = DateField()
    purpose = TextField()
    seal_confirmed_by = CharField()
    approved_by = CharField()  # the approving leader
    provided = TextField()  # what was provided
    provided_on = DateField()
    recorded_by = CharField()
    recorded_at = DateTimeField()


class AuditEntry(BaseModel):
    """One entry of the hash-chained record (see vault.domain.audit); never updated or deleted."""

    seq = IntegerField(primary_key=True)
    at = DateTimeField()
    kind = CharField()  # custody_event, alarm, alarm_ack, request_approval, … (services.audit)
    ref = IntegerField()  # the id of the row it records
    body = TextField()
    prev_hash = CharField()
    hash = CharField()


ALL_MODELS = (
    AuditEntry,
    SchemaVersion,
    Location,
    Person,
    Folder,
    LabelPrint,
    Station,
    Letter,
    Request,
    RequestItem,
    Approval,
    ApprovalFolder,
    CustodyEvent,
    Alarm,
    User,
    WebSession,
    SignInAttempt,
    KioskLink,
    ClosingRun,
    Stocktake,
    StocktakeExpected,
    StocktakeScan,
    StocktakeNote,
    StocktakeResult,
    StocktakeTally,
    Hold,
    DestructionBatch,
    DestructionItem,
    DestructionApproval,
    Destruction,
    ExternalRelease,
)
