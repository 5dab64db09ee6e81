/* Generated from core/catalog.json by wasm/js/scripts/gen-types.mjs. Do not edit. */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The params (declared for the catalog's schema; read through it). */
export interface ActivityFeed {
  /** The contact. */
  contactId: string;
  /** Which kinds of item to list (default: all three). */
  include?: Kind[] | null;
  /** At most this many items, the newest (1 to 1000; default: all). */
  limit?: number | null;
  /**
   * The location whose time zone is read (default: the credentials', or
   * the appointment's own).
   */
  locationId?: string | null;
  /**
   * The IANA time zone that offset-less times (a contact's appointments)
   * are read in. Default: the location's, read with `locations.get`.
   */
  timeZone?: string | null;
}

/** `POST /contacts/{contactId}/followers`. */
export interface AddFollowers {
  /** The contact. */
  contactId: string;
  /** User ids to add as followers. */
  followers: string[];
}

/** `POST /contacts/{contactId}/tags`. */
export interface AddTags {
  /** The contact. */
  contactId: string;
  /** Tags to add. */
  tags: string[];
}

/** `POST /contacts/{contactId}/campaigns/{campaignId}`. */
export interface AddToCampaign {
  /** The campaign. */
  campaignId: string;
  /** The contact. */
  contactId: string;
}

/** `POST /contacts/{contactId}/workflow/{workflowId}`. */
export interface AddToWorkflow {
  /** The contact. */
  contactId: string;
  /** When the workflow's event starts, e.g. `2021-06-23T03:30:00+01:00`. */
  eventStartTime?: string | null;
  /** The workflow. */
  workflowId: string;
}

/** An appointment of a contact (`GetEventSchema`). */
export interface Appointment {
  /** Address or meeting link. */
  address?: string | null;
  /** `confirmed`, `cancelled`, `showed`, … */
  appointmentStatus?: string | null;
  /** The assigned user. */
  assignedUserId?: string | null;
  /** The calendar. */
  calendarId?: string | null;
  /** The contact. */
  contactId?: string | null;
  /** ISO creation time. */
  dateAdded?: string | null;
  /** ISO update time. */
  dateUpdated?: string | null;
  /** End. */
  endTime?: string | null;
  /** The calendar group. */
  groupId?: string | null;
  /** The event id. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** Notes. */
  notes?: string | null;
  /** Start, e.g. `2021-07-16 11:00:00`. */
  startTime?: string | null;
  /** Status. */
  status?: string | null;
  /** Title. */
  title?: string | null;
  /** Users. */
  users?: string[] | null;
  [key: string]: unknown;
}

/** An appointment event: AppointmentCreate, AppointmentUpdate, AppointmentDelete. */
export interface AppointmentEvent {
  /** The appointment. */
  appointment?: Appointment | null;
  /** The location. */
  locationId?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** A note on an appointment (`GetNoteSchema`). */
export interface AppointmentNote {
  /** Text. */
  body?: string | null;
  /** The contact. */
  contactId?: string | null;
  /** ISO creation time. */
  dateAdded?: string | null;
  /** The note id. */
  id?: string | null;
  /** The user who wrote it. */
  userId?: string | null;
  [key: string]: unknown;
}

/** `{note}`. */
export interface AppointmentNoteResponse {
  /** The note. */
  note: AppointmentNote;
  [key: string]: unknown;
}

/** `{notes, hasMore}`. */
export interface AppointmentNotesResponse {
  /** Whether more notes follow. */
  hasMore?: boolean | null;
  /** The notes. */
  notes?: AppointmentNote[];
  [key: string]: unknown;
}

/** An appointment's status, as it may be set. */
export type AppointmentStatus = "new" | "confirmed" | "cancelled" | "showed" | "noshow" | "invalid";

/** `{events}`: a contact's appointments. */
export interface AppointmentsResponse {
  /** The appointments. */
  events?: Appointment[];
  [key: string]: unknown;
}

/** An association: a kind of link between two object types. */
export interface Association {
  /** `USER_DEFINED` or `SYSTEM_DEFINED`. */
  associationType?: JsonValue;
  /** The first side's object key, e.g. `contact`. */
  firstObjectKey?: JsonValue;
  /** The first side's label. */
  firstObjectLabel?: JsonValue;
  /** The association id. */
  id?: string | null;
  /** Its key, e.g. `contact_partner`. */
  key?: string | null;
  /** The location. */
  locationId?: string | null;
  /** The second side's object key. */
  secondObjectKey?: JsonValue;
  /** The second side's label. */
  secondObjectLabel?: JsonValue;
  [key: string]: unknown;
}

/**
 * An association (a kind of link between objects, e.g. contact to custom
 * object) event: AssociationCreate, AssociationUpdate, AssociationDelete.
 */
export interface AssociationEvent {
  /** `USER_DEFINED` or `SYSTEM_DEFINED`. */
  associationType?: string | null;
  /** The first object's key (`contact`, `custom_objects.…`). */
  firstObjectKey?: string | null;
  /** The label seen from the first object. */
  firstObjectLabel?: string | null;
  /** The association. */
  id?: string | null;
  /** The association's key. */
  key?: string | null;
  /** The location. */
  locationId?: string | null;
  /** The second object's key. */
  secondObjectKey?: string | null;
  /** The label seen from the second object. */
  secondObjectLabel?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** `{associations, total}`. */
export interface AssociationsResponse {
  /** The associations. */
  associations?: Association[];
  /** How many in all. */
  total?: number | null;
  [key: string]: unknown;
}

/** Where a contact came from (`AttributionSource`). */
export interface Attribution {
  /** Campaign. */
  campaign?: string | null;
  /** Campaign id. */
  campaignId?: string | null;
  /** Facebook click id. */
  fbclid?: string | null;
  /** Google click id. */
  gclid?: string | null;
  /** Medium. */
  medium?: string | null;
  /** Medium id. */
  mediumId?: string | null;
  /** Referrer. */
  referrer?: string | null;
  /** The landing URL. */
  url?: string | null;
  /** utm_content. */
  utmContent?: string | null;
  /** utm_medium. */
  utmMedium?: string | null;
  /** utm_source. */
  utmSource?: string | null;
  [key: string]: unknown;
}

/** The params (declared for the catalog's schema; read through it). */
export interface Book {
  /** The user it is assigned to. */
  assignedUserId?: string | null;
  /** The calendar. */
  calendarId: string;
  /** The contact it is for. */
  contactId: string;
  /**
   * The earliest start (RFC 3339): that slot if free, else the next.
   * Default: the driver's now.
   */
  from?: string | null;
  /** The location (default: the credentials'). */
  locationId?: string | null;
  /** How many bookings to try in all, 1 to 10 (default 3). */
  maxAttempts?: number | null;
  /** Title. */
  title?: string | null;
  /**
   * The latest start (RFC 3339), at most 31 days after `from`. Default:
   * 7 days after it.
   */
  to?: string | null;
}

/** The result. */
export interface Booked {
  /** The appointment booked. */
  appointment: Appointment;
  /** The slot starts tried, in order; the last is the one booked. */
  tried: string[];
}

/**
 * `buildRequest`'s and `contacts_build_request`'s settings; every field
 * optional.
 */
export interface BuildConfig {
  /** The API's base URL. */
  baseUrl?: string | null;
  /** The bearer token to set. */
  token?: string | null;
  /** `Version` header per operation name, or `"*"` for all. */
  versionOverrides?: {
    [key: string]: string;
  } | null;
}

/** `POST /contacts/bulk/business`: `{success, ids}`. */
export interface BulkBusinessResponse {
  /** The contacts updated. */
  ids?: string[];
  /** Whether it succeeded. */
  success?: boolean | null;
  [key: string]: unknown;
}

/** Whether a bulk tag update adds or removes. */
export type BulkTagAction = "add" | "remove";

/** `POST /contacts/bulk/tags/update/{type}`: per-contact outcomes. */
export interface BulkTagsResponse {
  /** How many contacts failed. */
  errorCount?: number | null;
  /** One `{contactId, message, type: "success" | "error", …}` per contact. */
  responses?: JsonValue[];
  /** Whether the call as a whole succeeded. */
  succeeded?: boolean | null;
  [key: string]: unknown;
}

/**
 * `POST /contacts/bulk/business`: attach contacts to a business, or detach
 * them with `businessId: null`.
 */
export interface BulkUpdateBusiness {
  /**
   * The business, or null to remove the contacts from their business.
   * Always sent: absent means null.
   */
  businessId?: string | null;
  /** The contacts. */
  ids: string[];
  /** The location. */
  locationId: string;
}

/** `POST /contacts/bulk/tags/update/{type}`: add or remove tags on many contacts. */
export interface BulkUpdateTags {
  /** The contacts. */
  contacts: string[];
  /** The location. */
  locationId: string;
  /** With `remove` only: remove every tag. */
  removeAllTags?: boolean | null;
  /** The tags. */
  tags: string[];
  /** `add` or `remove` (the path's `{type}`). */
  type: BulkTagAction;
}

/** A business (`BusinessDto`). */
export interface Business {
  /** Street address. */
  address?: string | null;
  /** City. */
  city?: string | null;
  /** Country. */
  country?: string | null;
  /** ISO creation time. */
  createdAt?: string | null;
  /** Description. */
  description?: string | null;
  /** Email. */
  email?: string | null;
  /** The business id. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** Name. */
  name?: string | null;
  /** Phone. */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** State. */
  state?: string | null;
  /** ISO update time. */
  updatedAt?: string | null;
  /** Website. */
  website?: string | null;
  [key: string]: unknown;
}

/**
 * `{business}`, or `{success, buiseness}` (sic) from create and update,
 * or `{success}` from delete.
 */
export interface BusinessResponse {
  /** The business (absent on delete). */
  business?: Business | null;
  /** Whether it succeeded (create, update, delete). */
  success?: boolean | null;
  [key: string]: unknown;
}

/** `{businesses}`. */
export interface BusinessesResponse {
  /** The businesses. */
  businesses?: Business[];
  [key: string]: unknown;
}

/** A calendar (`CalendarDTO`). */
export interface Calendar {
  /**
   * `round_robin`, `event`, `class_booking`, `collective`,
   * `service_booking` or `personal`.
   */
  calendarType?: string | null;
  /** Description. */
  description?: string | null;
  /** The calendar group. */
  groupId?: string | null;
  /** The calendar id. */
  id?: string | null;
  /** Whether it takes bookings. */
  isActive?: boolean | null;
  /** The location. */
  locationId?: string | null;
  /** Name. */
  name?: string | null;
  /** Weekly open hours. */
  openHours?: OpenHours[] | null;
  /** How long one slot lasts, in `slotDurationUnit`. */
  slotDuration?: number | null;
  /** `mins` or `hours`. */
  slotDurationUnit?: string | null;
  /** How often a slot starts, in `slotIntervalUnit`. */
  slotInterval?: number | null;
  /** `mins` or `hours`. */
  slotIntervalUnit?: string | null;
  /** Booking page slug. */
  slug?: string | null;
  [key: string]: unknown;
}

/** `{event}`: one appointment. */
export interface CalendarEventResponse {
  /** The appointment. */
  event: Appointment;
  [key: string]: unknown;
}

/** `{events}`: calendar events in a range. */
export interface CalendarEventsResponse {
  /** The events. */
  events?: Appointment[];
  [key: string]: unknown;
}

/** `{calendar}`. */
export interface CalendarResponse {
  /** The calendar. */
  calendar: Calendar;
  [key: string]: unknown;
}

/** `{calendars}`. */
export interface CalendarsResponse {
  /** The calendars. */
  calendars?: Calendar[];
  [key: string]: unknown;
}

/** CampaignStatusUpdate: a contact's status in a campaign changed. */
export interface CampaignStatusEvent {
  /** The contact. */
  contactId?: string | null;
  /** ISO creation time. */
  dateAdded?: string | null;
  /** The campaign status record. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** The contact's reply, if any. */
  replied?: JsonValue;
  /** The new status (`paused`, `finished`, …). */
  status?: string | null;
  /** The campaign template. */
  templateId?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/**
 * `appointments.update` with `appointmentStatus: cancelled`: the
 * appointment stays (with its notes and history), unlike
 * `appointments.delete`.
 */
export interface CancelAppointment {
  /** The appointment (event) id. */
  eventId: string;
  /** Send the calendar's cancellation notifications. */
  toNotify?: boolean | null;
}

/** The params (declared for the catalog's schema; read through it). */
export interface Capture {
  /**
   * The contact's fields, as `contacts.upsert` takes them (email or
   * phone finds an existing contact); `locationId` defaults to the
   * credentials'.
   */
  contact: {
    [key: string]: unknown;
  };
  /**
   * Names this capture: the same key runs it once (1 to 128 bytes). Use
   * the form submission's or the host record's id.
   */
  idempotencyKey: string;
  /** A note to add to it. */
  note?: string | null;
  /** Tags to add (existing tags are kept). */
  tags?: string[] | null;
  /** Tasks to create on it. */
  tasks?: CaptureTask[] | null;
}

/** The result. */
export interface CaptureResult {
  /** The contact. */
  contact: PartReport;
  /** The note, when asked for. */
  note?: PartReport | null;
  /** Whether an earlier run with this key had finished (nothing was sent). */
  replayed: boolean;
  /** The tags this capture added (none when the contact had them all). */
  tags: TagsReport;
  /** The tasks, in the params' order. */
  tasks: PartReport[];
}

/** A task of a capture. */
export interface CaptureTask {
  /** The user it is assigned to. */
  assignedTo?: string | null;
  /** Body (the action's marker is added at its end). */
  body?: string | null;
  /** When it is due: an ISO 8601 duration after now (`P1D`, `PT4H`). */
  dueAfter: string;
  /** Title. */
  title: string;
}

/**
 * `new ContactsClient(config)`, `contacts_client_new`: a client. Unknown
 * fields are refused.
 */
export interface ClientConfig {
  /**
   * The API's base URL: `https://services.leadconnectorhq.com` by
   * default, a sandbox's in tests.
   */
  baseUrl?: string | null;
  /** The deadline of one call, retries and waits included (default 30000). */
  callTimeoutMs?: number | null;
  /** What the client calls with. */
  credentials: Credentials;
  /**
   * How long a location's contact custom-field definitions, which turn
   * keys into ids, are kept before they are fetched again (default
   * 600000). An unknown key fetches them again at once.
   */
  customFieldsTtlMs?: number | null;
  /**
   * Share the rate budget, token refreshes and state with every process
   * of the fleet, through Redis (native shells) or a host store object
   * (the npm package's runtime module).
   */
  fleet?: FleetConfig | null;
  /** The app's client id and secret: needed to refresh OAuth tokens. */
  oauthClient?: OAuthClient | null;
  /** The location's rate budget, until the API's headers tell it. */
  rateLimits?: RateLimitsConfig | null;
  /** Refresh a token when it has less than this left (default 60000). */
  refreshAheadMs?: number | null;
  /** How failed calls are retried. */
  retry?: RetryConfig | null;
  /** Where journaling composites (`contacts.capture`) keep state. */
  state?: StateConfig | null;
  /** `Version` header per operation name, or `"*"` for all. */
  versionOverrides?: {
    [key: string]: string;
  } | null;
  /**
   * The native shells' worker threads (the C ABI's runtime); shells on
   * the host's event loop ignore it.
   */
  workerThreads?: number | null;
}

/** `PUT /contacts/{contactId}/tasks/{taskId}/completed`. */
export interface CompleteTask {
  /** True to complete (the default), false to reopen. */
  completed?: boolean;
  /** The contact. */
  contactId: string;
  /** The task. */
  taskId: string;
}

/** A single condition. */
export interface Condition {
  /** The field, e.g. `email`, `tags`, `dnd`, `firstNameLowerCase`. */
  field: string;
  /** The operator. */
  operator: FilterOperator;
  /**
   * The value (a string of at most 75 characters, a boolean, or a range
   * object `{gte, gt, lte, lt}`); absent for `exists` / `not_exists`.
   */
  value?: JsonValue;
}

/**
 * A contact as the API returns it (`GetContectByIdSchema` (sic), the create
 * schema and the search item schema, merged). Every field is optional;
 * fields this crate does not model are kept in `extra`.
 */
export interface Contact {
  /** Street address. */
  address1?: string | null;
  /** The user the contact is assigned to. */
  assignedTo?: string | null;
  /** First attribution. */
  attributionSource?: Attribution | null;
  /** The business (company record) the contact belongs to. */
  businessId?: string | null;
  /** City. */
  city?: string | null;
  /** Company name. */
  companyName?: string | null;
  /** Country code. */
  country?: string | null;
  /** Custom field values, `{id, value}`. */
  customFields?: CustomFieldValue[];
  /** ISO timestamp of creation. */
  dateAdded?: string | null;
  /** Date of birth (a string in most responses). */
  dateOfBirth?: JsonValue;
  /** ISO timestamp of the last update. */
  dateUpdated?: string | null;
  /** Global do-not-disturb flag. */
  dnd?: boolean | null;
  /** Do-not-disturb per channel. */
  dndSettings?: DndSettings | null;
  /** Email address. */
  email?: string | null;
  /** First name. */
  firstName?: string | null;
  /** Followers (user ids), on search results. */
  followers?: string[] | null;
  /** The contact id. */
  id?: string | null;
  /** Last attribution. */
  lastAttributionSource?: Attribution | null;
  /** Last name. */
  lastName?: string | null;
  /** The location (sub-account) the contact belongs to. */
  locationId?: string | null;
  /** Full name. */
  name?: string | null;
  /** Phone number. */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** The search cursor of this item: pass the last one as `searchAfter`. */
  searchAfter?: JsonValue[] | null;
  /** Where the contact came from. */
  source?: string | null;
  /** State or region. */
  state?: string | null;
  /** Tags. */
  tags?: string[];
  /** IANA time zone. */
  timezone?: string | null;
  /** `lead`, `customer`, … */
  type?: string | null;
  /** Website. */
  website?: string | null;
  [key: string]: unknown;
}

/**
 * A contact event: ContactCreate, ContactUpdate, ContactDelete,
 * ContactTagUpdate, ContactDndUpdate.
 */
export interface ContactEvent {
  /** Street address. */
  address1?: string | null;
  /** Assigned user. */
  assignedTo?: string | null;
  /** City. */
  city?: string | null;
  /** Company name. */
  companyName?: string | null;
  /** Country. */
  country?: string | null;
  /** Custom field values. */
  customFields?: CustomFieldValue[] | null;
  /** ISO creation time. */
  dateAdded?: string | null;
  /** Date of birth. */
  dateOfBirth?: JsonValue;
  /** Global DND. */
  dnd?: boolean | null;
  /** DND per channel (ContactDndUpdate). */
  dndSettings?: DndSettings | null;
  /** Email. */
  email?: string | null;
  /** First name. */
  firstName?: string | null;
  /** The contact id. */
  id?: string | null;
  /** Last name. */
  lastName?: string | null;
  /** The location. */
  locationId?: string | null;
  /** Full name. */
  name?: string | null;
  /** Phone. */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** Source. */
  source?: string | null;
  /** State. */
  state?: string | null;
  /** Tags. */
  tags?: string[] | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  /** Website. */
  website?: string | null;
  [key: string]: unknown;
}

/** `{contacts, count | total, meta}` from list, search and list-by-business. */
export interface ContactListResponse {
  /** This page of contacts. */
  contacts?: Contact[];
  /** Count, where the API reports it (`count` on lists). */
  count?: number | null;
  /** Paging state of `GET /contacts/`. */
  meta?: ListMeta | null;
  /** Total matches, where the API reports it (`total` on search). */
  total?: number | null;
  /** The request's trace id. */
  traceId?: string | null;
  [key: string]: unknown;
}

/**
 * `{contact}` from get, create, update and upsert (upsert adds `new`,
 * update adds `succeded`).
 */
export interface ContactResponse {
  /** The contact. */
  contact: Contact;
  /**
   * Upsert only, and only when something was lost: each field the upsert
   * sent that did not come back as written (HighLevel answers 200 while
   * dropping some). Worked out by the library, not sent by the API.
   */
  dropped?: DroppedField[] | null;
  /** Upsert only: whether a new contact was created. */
  new?: boolean | null;
  /** Update only: whether it succeeded. */
  succeeded?: boolean | null;
  /** The request's trace id. */
  traceId?: string | null;
  [key: string]: unknown;
}

/**
 * ConversationUnreadUpdate: a conversation's unread count or flags changed
 * (DOC-WH ConversationUnreadWebhook).
 */
export interface ConversationUnreadEvent {
  /** The contact. */
  contactId?: string | null;
  /** Whether it was deleted. */
  deleted?: boolean | null;
  /** The conversation. */
  id?: string | null;
  /** Whether it is in the inbox. */
  inbox?: boolean | null;
  /** The location. */
  locationId?: string | null;
  /** Whether it is starred. */
  starred?: boolean | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** Unread messages. */
  unreadCount?: number | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** The params (declared for the catalog's schema; read through it). */
export interface CopyTags {
  /** The contact whose tags are copied. */
  fromContactId: string;
  /** The contact that gets them. */
  toContactId: string;
}

/** The result. */
export interface CopyTagsResult {
  /**
   * The tags that were added (the source's tags the target lacked, compared
   * without regard to case), in the source's order.
   */
  added: string[];
  /** The target's tags afterwards. */
  tags: string[];
}

/** `POST /calendars/events/appointments`: books an appointment. */
export interface CreateAppointment {
  /** Address or meeting link. */
  address?: string | null;
  /** Status. */
  appointmentStatus?: AppointmentStatus | null;
  /** The user it is assigned to. */
  assignedUserId?: string | null;
  /** The calendar. */
  calendarId: string;
  /** The contact it is for. */
  contactId: string;
  /** Description. */
  description?: string | null;
  /**
   * End, ISO 8601 with an offset; the calendar's slot duration after the
   * start when absent.
   */
  endTime?: string | null;
  /** Book outside the calendar's booking window. */
  ignoreDateRange?: boolean | null;
  /** Book even when the slot is not free (taken, or outside open hours). */
  ignoreFreeSlotValidation?: boolean | null;
  /** The location. */
  locationId: string;
  /** The meeting location's configuration id. */
  meetingLocationId?: string | null;
  /** Where the meeting happens. */
  meetingLocationType?: MeetingLocationType | null;
  /** Use `address` instead of the calendar's location configuration. */
  overrideLocationConfig?: boolean | null;
  /** Recurrence rule (RFC 5545 `RRULE`). */
  rrule?: string | null;
  /**
   * Start, ISO 8601 with an offset (`2026-12-03T10:00:00-05:00`), as
   * `calendars.freeSlots` lists it.
   */
  startTime: string;
  /** Title. */
  title?: string | null;
  /** Send the calendar's notifications. */
  toNotify?: boolean | null;
}

/** `POST /calendars/appointments/{appointmentId}/notes`. */
export interface CreateAppointmentNote {
  /** The appointment. */
  appointmentId: string;
  /** Text. */
  body: string;
  /** The user writing it. */
  userId?: string | null;
}

/** `POST /businesses/`. */
export interface CreateBusiness {
  /** Street address. */
  address?: string | null;
  /** City. */
  city?: string | null;
  /** Country. */
  country?: string | null;
  /** Description. */
  description?: string | null;
  /** Email. */
  email?: string | null;
  /** The location. */
  locationId: string;
  /** Name. */
  name: string;
  /** Phone. */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** State. */
  state?: string | null;
  /** Website. */
  website?: string | null;
}

/** `POST /contacts/`. */
export interface CreateContact {
  /** Street address. */
  address1?: string | null;
  /** The user to assign the contact to. */
  assignedTo?: string | null;
  /** City. */
  city?: string | null;
  /** Company name. */
  companyName?: string | null;
  /** Country code. */
  country?: string | null;
  /**
   * Custom field values, by id; or by key through a client, which
   * resolves keys with the location's definitions.
   */
  customFields?: CustomFieldWrite[] | null;
  /** Date of birth, e.g. `1990-09-25`. */
  dateOfBirth?: string | null;
  /** Global do-not-disturb flag. */
  dnd?: boolean | null;
  /** Do-not-disturb per channel. */
  dndSettings?: DndSettings | null;
  /** Email address. */
  email?: string | null;
  /** First name. */
  firstName?: string | null;
  /** Gender. */
  gender?: string | null;
  /** Inbound do-not-disturb. */
  inboundDndSettings?: InboundDndSettings | null;
  /** Last name. */
  lastName?: string | null;
  /** The location to create the contact in. */
  locationId: string;
  /** Full name. */
  name?: string | null;
  /** Phone number (E.164 preferred). */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** Source. */
  source?: string | null;
  /** State or region. */
  state?: string | null;
  /** Tags (replace all existing tags). */
  tags?: string[] | null;
  /** IANA time zone. */
  timezone?: string | null;
  /** Website. */
  website?: string | null;
}

/** `POST /locations/{locationId}/customValues`. */
export interface CreateCustomValue {
  /** The location. */
  locationId: string;
  /** Name (its key is made from it). */
  name: string;
  /** The value. */
  value: string;
}

/** `POST /locations/{locationId}/customFields`. */
export interface CreateLocationCustomField {
  /** File types a `FILE_UPLOAD` field accepts. */
  acceptedFormat?: string[] | null;
  /**
   * `TEXT`, `LARGE_TEXT`, `NUMERICAL`, `PHONE`, `MONETORY`, `CHECKBOX`,
   * `SINGLE_OPTIONS`, `MULTIPLE_OPTIONS`, `DATE`, `TEXTBOX_LIST`,
   * `FILE_UPLOAD`, `RADIO`, …
   */
  dataType: string;
  /** Whether a `FILE_UPLOAD` field takes several files. */
  isMultipleFile?: boolean | null;
  /** The location. */
  locationId: string;
  /** How many files a `FILE_UPLOAD` field takes. */
  maxNumberOfFiles?: number | null;
  /** `contact` or `opportunity`. */
  model?: FieldModel | null;
  /** Display name. */
  name: string;
  /** Placeholder text. */
  placeholder?: string | null;
  /** Position in forms. */
  position?: number | null;
  /** Options of a `TEXTBOX_LIST` field. */
  textBoxListOptions?: JsonValue[] | null;
}

/** `POST /locations/{locationId}/tags`. */
export interface CreateLocationTag {
  /** The location. */
  locationId: string;
  /** The tag name. */
  name: string;
}

/** `POST /contacts/{contactId}/notes`. */
export interface CreateNote {
  /** Body text. */
  body: string;
  /** Colour, e.g. `#FFAA00`. */
  color?: string | null;
  /** The contact. */
  contactId: string;
  /** Pin it. */
  pinned?: boolean | null;
  /** Title. */
  title?: string | null;
  /** The author. */
  userId?: string | null;
}

/** `POST /custom-fields/`. */
export interface CreateObjectCustomField {
  /** File types a `FILE_UPLOAD` field accepts (`.pdf`, …, `all`). */
  acceptedFormats?: string | null;
  /** Whether a select-like field takes values outside its options. */
  allowCustomOption?: boolean | null;
  /**
   * `TEXT`, `LARGE_TEXT`, `NUMERICAL`, `PHONE`, `MONETORY`, `CHECKBOX`,
   * `SINGLE_OPTIONS`, `MULTIPLE_OPTIONS`, `DATE`, `TEXTBOX_LIST`,
   * `FILE_UPLOAD`, `RADIO`, `EMAIL`.
   */
  dataType: string;
  /** Description. */
  description?: string | null;
  /** Key, e.g. `custom_objects.pet.breed`. */
  fieldKey: string;
  /** The location. */
  locationId: string;
  /** How many files a `FILE_UPLOAD` field takes. */
  maxFileLimit?: number | null;
  /** Display name. */
  name?: string | null;
  /** The object, e.g. `custom_objects.pet` or `business`. */
  objectKey: string;
  /** Options of select-like fields. */
  options?: FieldOption[] | null;
  /** The folder it goes in. */
  parentId: string;
  /** Placeholder text. */
  placeholder?: string | null;
  /** Whether forms show it. */
  showInForms: boolean;
}

/** `POST /associations/relations`: links two records. */
export interface CreateRelation {
  /** The association the link is of. */
  associationId: string;
  /** The first record (of the association's first object). */
  firstRecordId: string;
  /** The location. */
  locationId: string;
  /** The second record. */
  secondRecordId: string;
}

/** `POST /contacts/{contactId}/tasks`. */
export interface CreateTask {
  /** The user to assign it to. */
  assignedTo?: string | null;
  /** Body text. */
  body?: string | null;
  /** Whether it is already done (default false). */
  completed?: boolean;
  /** The contact. */
  contactId: string;
  /** ISO due date, e.g. `2020-10-25T11:00:00Z`. */
  dueDate: string;
  /** Title. */
  title: string;
}

/** The params (declared for the catalog's schema; read through it). */
export interface CreateTaskSet {
  /** The user tasks are assigned to when a task names none. */
  assignedTo?: string | null;
  /** The contact the tasks are for. */
  contactId: string;
  /** The task set, in order. */
  tasks: TaskTemplate[];
}

/** One created task. */
export interface CreatedTask {
  /** Its index in the set. */
  index: number;
  /** The task as the API returned it. */
  task: Task;
}

/**
 * The credentials a client calls the API with (fact sheet §2.1). As JSON,
 * tagged by `kind`: `{"kind": "privateIntegrationToken", "token",
 * "locationId"?}`, `{"kind": "oauth", "tokens"}` or `{"kind": "agency",
 * "tokens", "locationId"}`.
 */
export type Credentials = {
  kind: "privateIntegrationToken";
  /** The location it belongs to, used where an operation needs `locationId`. */
  locationId?: string | null;
  /** The token. */
  token: Secret;
} | {
  kind: "oauth";
  /** The tokens. */
  tokens: OAuthTokens;
} | {
  kind: "agency";
  /** The location to mint location tokens for. */
  locationId: string;
  /** The agency's tokens. */
  tokens: OAuthTokens;
};

/**
 * A custom field value written by key (`contact.shirt_size`), in a
 * contact write's JSON params: a client (the driver) resolves the key
 * through the location's definitions, checks the value against the field's
 * type, and sends `{id, fieldValue}`. The sans-IO build refuses it. Schema
 * only: the typed Rust API writes by id.
 */
export interface CustomFieldByKey {
  /** The value, of the type the field takes. */
  fieldValue: JsonValue;
  /** The field's key, e.g. `contact.shirt_size` (`contact.` may be left off). */
  key: string;
}

/** A custom field defined in a location: use its `id` when writing values. */
export interface CustomFieldDefinition {
  /** `TEXT`, `NUMERICAL`, `CHECKBOX`, … */
  dataType?: string | null;
  /** Key, e.g. `contact.pincode`. */
  fieldKey?: string | null;
  /** The field id. */
  id?: string | null;
  /** `contact` or `opportunity`. */
  model?: string | null;
  /** Display name. */
  name?: string | null;
  /** Options of select-like fields. */
  picklistOptions?: JsonValue[] | null;
  [key: string]: unknown;
}

/**
 * A custom field value to write. Sent as `{id, fieldValue}`: the one shape the
 * API accepts reliably (fact sheet §7; n8n-io/n8n#35392). `field_value` and
 * `value` are accepted as input spellings.
 */
export interface CustomFieldInput {
  /**
   * A string (text, select, radio), number (numeric, monetary), list of
   * strings (checkbox, multi-select) or file map.
   */
  fieldValue: JsonValue;
  /** The custom field id (not its key). */
  id: string;
}

/** Which objects' custom fields to list. */
export type CustomFieldModel = "contact" | "opportunity" | "all";

/** `{customField}`: one contact custom field of a location. */
export interface CustomFieldResponse {
  /** The definition. */
  customField: CustomFieldDefinition;
  [key: string]: unknown;
}

/** A custom field value on a contact, as the API returns it: `{id, value}`. */
export interface CustomFieldValue {
  /** The custom field id. */
  id?: string | null;
  /** A string, number, list of strings or file map, by field type. */
  value?: JsonValue;
  [key: string]: unknown;
}

/** A custom field value to write: by id, or by key through a client. */
export type CustomFieldWrite = CustomFieldInput | CustomFieldByKey;

/** `{customFields}`. */
export interface CustomFieldsResponse {
  /** The definitions. */
  customFields?: CustomFieldDefinition[];
  [key: string]: unknown;
}

/** A custom value: a named text a location reuses (`{{ custom_values.x }}`). */
export interface CustomValue {
  /** Key, e.g. `{{ custom_values.booking_link }}`. */
  fieldKey?: string | null;
  /** The custom value id. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** Name. */
  name?: string | null;
  /** The value. */
  value?: string | null;
  [key: string]: unknown;
}

/** `{customValue}`. */
export interface CustomValueResponse {
  /** The custom value. */
  customValue: CustomValue;
  [key: string]: unknown;
}

/** `{customValues}`. */
export interface CustomValuesResponse {
  /** The custom values. */
  customValues?: CustomValue[];
  [key: string]: unknown;
}

/** One day's free slots (`SlotsSchema`). */
export interface DaySlots {
  /**
   * Slot start times, ISO 8601 with the zone's offset
   * (`2024-10-28T10:00:00-04:00`).
   */
  slots?: string[];
  [key: string]: unknown;
}

/** `DELETE /calendars/events/{eventId}`: removes an appointment. */
export interface DeleteAppointment {
  /** The appointment (event) id. */
  eventId: string;
}

/** `DELETE /calendars/appointments/{appointmentId}/notes/{noteId}`. */
export interface DeleteAppointmentNote {
  /** The appointment. */
  appointmentId: string;
  /** The note. */
  noteId: string;
}

/** `DELETE /businesses/{businessId}`. */
export interface DeleteBusiness {
  /** The business. */
  businessId: string;
}

/** `DELETE /contacts/{contactId}`. */
export interface DeleteContact {
  /** The contact id. */
  contactId: string;
}

/** `DELETE /locations/{locationId}/customValues/{id}`. */
export interface DeleteCustomValue {
  /** The custom value. */
  id: string;
  /** The location. */
  locationId: string;
}

/** `DELETE /locations/{locationId}/customFields/{id}`. */
export interface DeleteLocationCustomField {
  /** The field. */
  id: string;
  /** The location. */
  locationId: string;
}

/** `DELETE /locations/{locationId}/tags/{tagId}`. */
export interface DeleteLocationTag {
  /** The location. */
  locationId: string;
  /** The tag. */
  tagId: string;
}

/** `DELETE /contacts/{contactId}/notes/{id}`. */
export interface DeleteNote {
  /** The contact. */
  contactId: string;
  /** The note. */
  noteId: string;
}

/** `DELETE /custom-fields/{id}`. */
export interface DeleteObjectCustomField {
  /** The field. */
  id: string;
}

/** `DELETE /associations/relations/{relationId}`. */
export interface DeleteRelation {
  /** The location. */
  locationId: string;
  /** The relation. */
  relationId: string;
}

/** `DELETE /contacts/{contactId}/tasks/{taskId}`. */
export interface DeleteTask {
  /** The contact. */
  contactId: string;
  /** The task. */
  taskId: string;
}

/** `{succeded, id, key}` after deleting a v2 custom field. */
export interface DeletedFieldResponse {
  /** The deleted field's id. */
  id?: string | null;
  /** The deleted field's key. */
  key?: string | null;
  /** Whether it succeeded. */
  succeeded?: boolean | null;
  [key: string]: unknown;
}

/** One channel's do-not-disturb state. */
export interface DndChannel {
  /** A code. */
  code?: string | null;
  /** Why. */
  message?: string | null;
  /** `active`, `inactive` or `permanent`. */
  status: DndStatus;
}

/**
 * Do-not-disturb per channel. Written with the v2 keys (`Call`, `SMS`, …);
 * read with either the v2 or the v3 keys (`call`, `sms`, …).
 */
export interface DndSettings {
  /** Calls. */
  Call?: DndChannel | null;
  /** Email. */
  Email?: DndChannel | null;
  /** Facebook. */
  FB?: DndChannel | null;
  /** Google Business Messages. */
  GMB?: DndChannel | null;
  /** RCS (seen in webhook payloads, issue #264). */
  RCS?: DndChannel | null;
  /** SMS. */
  SMS?: DndChannel | null;
  /** WhatsApp. */
  WhatsApp?: DndChannel | null;
}

/** A do-not-disturb status. */
export type DndStatus = "active" | "inactive" | "permanent";

/** A field a write sent that the API did not keep as sent. */
export interface DroppedField {
  /** The field's API name (`phone`, `gender`, `email`). */
  field: string;
  /** What came back instead (`null` when the field came back empty). */
  got: JsonValue;
  /** What was sent. */
  sent: JsonValue;
}

/** A due date: an ISO 8601 duration after an instant. */
export interface Due {
  /**
   * `PnW`, or `PnD` / `PTnH` / `PTnM` / `PTnS` combined in that order
   * (`P1D`, `PT4H`, `P1DT2H`); a day is 24 hours.
   */
  after: string;
  /**
   * `now` (the default: the driver's clock), or a path to a time of the
   * contact (`contact.dateAdded`).
   */
  from?: string | null;
}

/** `GET /contacts/search/duplicate`: `{contact}` or `{contact: null}`. */
export interface DuplicateResponse {
  /** The matching contact, if any. */
  contact?: Contact | null;
  /** The request's trace id. */
  traceId?: string | null;
  [key: string]: unknown;
}

/** `POST /oauth/token` with `grant_type=authorization_code`. */
export interface ExchangeCode {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret. */
  clientSecret: Secret;
  /** The `code` from the callback. */
  code: string;
  /** The redirect URI used in the authorize step. */
  redirectUri?: string | null;
  /** `Location` or `Company`. */
  userType?: UserType | null;
}

/** The OAuth code exchange's settings. */
export interface ExchangeConfig {
  /** The token endpoint's host; absent for production. */
  baseUrl?: string | null;
  /** The exchange's deadline (above 0; absent for the default). */
  timeoutMs?: number | null;
}

/** The result. */
export interface Feed {
  /** The items, newest first (ties by id; unreadable times last). */
  items: FeedItem[];
  /** The zone offset-less times were read in, when there were any. */
  timeZone?: string | null;
}

/** One item of the feed. */
export interface FeedItem {
  /** When, RFC 3339 UTC; null when HighLevel gave no readable time. */
  at?: string | null;
  /**
   * The note's or task's body, or the appointment's notes (its
   * `description` when it has none).
   */
  body?: string | null;
  /** The note's, task's or appointment's id. */
  id: string;
  /**
   * A task's `completed` or `incomplete`; an appointment's status
   * (`confirmed`, `cancelled`, …); null for a note.
   */
  status?: string | null;
  /** The task's or appointment's title (a note's, when it has one). */
  title?: string | null;
  /** `note`, `task` or `appointment`. */
  type: string;
}

/** Which object a location custom field belongs to. */
export type FieldModel = "contact" | "opportunity";

/** An option of a select-like custom field (`OptionDTO`). */
export interface FieldOption {
  /** The stored value. */
  key: string;
  /** What people see. */
  label: string;
  /** An image, for radio options with pictures. */
  url?: string | null;
}

/** One filter: a condition, or a group of filters joined by AND / OR. */
export type Filter = {
  /** The inner filters. */
  filters: Filter[];
  /** How the inner filters combine. */
  group: FilterGroup;
} | Condition;

/** How a group's filters combine. */
export type FilterGroup = "AND" | "OR";

/** Search operators. */
export type FilterOperator = "eq" | "not_eq" | "contains" | "not_contains" | "exists" | "not_exists" | "range";

/**
 * `POST /users/search/filter-by-email`: an agency's users with these
 * emails (agency tokens only: refused before sending with a location
 * token).
 */
export interface FilterUsersByEmail {
  /** The agency. */
  companyId: string;
  /** Include deleted users. */
  deleted?: boolean | null;
  /** The emails, comma-separated. */
  emails: string;
  /** Page size. */
  limit?: string | null;
  /** Fields to return. */
  projection?: string | null;
  /** How many to skip. */
  skip?: string | null;
}

/** `GET /contacts/search/duplicate`. */
export interface FindDuplicateContact {
  /** Email to match. */
  email?: string | null;
  /** The location. */
  locationId: string;
  /** Phone number to match (sent percent-encoded, so `+` survives). */
  number?: string | null;
}

/** Fleet mode: one rate budget per (app, location) across processes. */
export interface FleetConfig {
  /** Put before every key (default `libcontacts:`). */
  keyPrefix?: string | null;
  /**
   * How long one process may hold the lease to renew a shared token set
   * (default 10000): a holder that died is replaced after this long.
   */
  leaseMs?: number | null;
  /** The local budget's share of the limit, in percent (default 25). */
  localSharePercent?: number | null;
  /**
   * `redis://[:password@]host:port[/db]`, or `rediss://` for TLS: the
   * native shells' store, required there. The npm package ships no Redis
   * client and refuses it: give `store`, a host store object, instead.
   */
  redisUrl?: string | null;
  /**
   * When Redis cannot be reached: fail every call with
   * FLEET_UNAVAILABLE (the default), or go on with a local budget of
   * `localSharePercent` of the limit.
   */
  whenUnavailable?: WhenUnavailableConfig | null;
}

/** `{"fleet": true}`. */
export interface FleetState {
  /** `true`. */
  fleet: true;
}

/** When the trigger fires, if the condition holds, run the steps: each a catalog action with params templated from {{event…}}, {{mapped…}} and {{steps.NAME.result…}}. Each (flow, event) runs once. */
export interface FlowDefinition {
  /** a condition of the language over event and mapped */
  condition?: JsonValue;
  description?: string;
  /** how long a runner holds a run before another may take it over; each commit renews it, so keep it longer than the longest step (a call's deadline is callTimeoutMs, and a composite makes several calls) */
  leaseMs?: number;
  mapping?: {
    /** the path it reads: event for a HighLevel event, event.data for a host event, by default */
    from?: string;
    /** a mapping template (the catalog's mapping schema) */
    template: JsonValue;
  };
  /** how many levels of events caused by the flow's own writes run: 1, only outside changes */
  maxDepth?: number;
  /** keys the run log: runs of flows of one name are one log */
  name: string;
  steps: {
    /** a catalog action: an operation or a composite */
    action: string;
    /** a condition of the language: the step is skipped when it does not hold */
    condition?: JsonValue;
    /** read by later steps as steps.NAME.result */
    name: string;
    /** the action's params, a template of the language */
    params?: Record<string, JsonValue>;
  }[];
  trigger: {
    /** a HighLevel event type (the catalog's triggers), by webhook or poll */
    event: string;
  } | {
    /** the type of a host event {type, id, data}, deduplicated by its id */
    hostEvent: string;
  };
}

/** A run: what the log shows, and what a runner resumes from. */
export interface FlowRun {
  /** 0 for an outside change; n for an event caused by a run of depth n-1. */
  depth: number;
  /** The mapping's errors, each `{path, target?, message}`, when invalid. */
  errors?: JsonValue[];
  /** The event, as dispatched. */
  event: JsonValue;
  /**
   * What makes the event one event: its dedupe id, or a host event's
   * type and id.
   */
  eventKey: string;
  /** The event's type. */
  eventType: string;
  /** The flow's name. */
  flow: string;
  /** The version of the flow that started it ([`super::Flow::fingerprint`]). */
  flowFingerprint: string;
  /** Until when its runner holds it, Unix ms. */
  leaseUntilMs: number;
  /** The mapping's output, when the flow maps. */
  mapped?: JsonValue;
  /** Why it was skipped, failed or stopped. */
  reason?: string | null;
  /** Whether an earlier dispatch of this event had run it, or another runner holds it: nothing was sent. */
  replayed: boolean;
  /** 20 hex digits, from the flow's name and the event's key. */
  runId: string;
  /** When it started, Unix ms. */
  startedAtMs: number;
  /** Where it stands. */
  state: RunState;
  /** The steps, in run order. */
  steps: StepRecord[];
  /** When it was last written, Unix ms. */
  updatedAtMs: number;
}

/** `{followers, followersAdded | followersRemoved}`. */
export interface FollowersResponse {
  /** The contact's followers now. */
  followers?: string[];
  /** Followers this call added. */
  followersAdded?: string[] | null;
  /** Followers this call removed. */
  followersRemoved?: string[] | null;
  [key: string]: unknown;
}

/**
 * `GET /calendars/{calendarId}/free-slots`: the bookable slot starts of a
 * calendar in a range of at most 31 days.
 */
export interface FreeSlots {
  /** The calendar. */
  calendarId: string;
  /** Range end, Unix milliseconds: after the start, at most 31 days later. */
  endDate: number;
  /** Range start, Unix milliseconds. */
  startDate: number;
  /**
   * IANA time zone the slots are given in (`America/New_York`); the
   * calendar's own when absent.
   */
  timezone?: string | null;
  /** Only this user's slots. */
  userId?: string | null;
  /** Only these users' slots. */
  userIds?: string[] | null;
}

/** Free slots by day: `{"2024-10-28": {"slots": [...]}, ...}`. */
export interface FreeSlotsResponse {
  /** The request's trace id, where the API sends one. */
  traceId?: string | null;
  [key: string]: DaySlots | string | null | undefined;
}

/** `GET /calendars/events/appointments/{eventId}`. */
export interface GetAppointment {
  /** The appointment (event) id. */
  eventId: string;
}

/** `GET /associations/{associationId}`. */
export interface GetAssociation {
  /** The association. */
  associationId: string;
}

/** `GET /businesses/{businessId}`. */
export interface GetBusiness {
  /** The business. */
  businessId: string;
}

/** `GET /calendars/{calendarId}`. */
export interface GetCalendar {
  /** The calendar. */
  calendarId: string;
}

/** `GET /contacts/{contactId}`. */
export interface GetContact {
  /** The contact id. */
  contactId: string;
}

/** `GET /locations/{locationId}/customValues/{id}`. */
export interface GetCustomValue {
  /** The custom value. */
  id: string;
  /** The location. */
  locationId: string;
}

/** `GET /locations/{locationId}`. */
export interface GetLocation {
  /** The location. */
  locationId: string;
}

/** `GET /locations/{locationId}/customFields/{id}`. */
export interface GetLocationCustomField {
  /** The field. */
  id: string;
  /** The location. */
  locationId: string;
}

/** `GET /locations/{locationId}/tags/{tagId}`. */
export interface GetLocationTag {
  /** The location. */
  locationId: string;
  /** The tag. */
  tagId: string;
}

/** `POST /oauth/locationToken`: an agency token mints a location token. */
export interface GetLocationToken {
  /** The agency. */
  companyId: string;
  /** The location to mint a token for. */
  locationId: string;
}

/** `GET /contacts/{contactId}/notes/{id}`. */
export interface GetNote {
  /** The contact. */
  contactId: string;
  /** The note. */
  noteId: string;
}

/** `GET /custom-fields/{id}`. */
export interface GetObjectCustomField {
  /** The field. */
  id: string;
}

/** `GET /contacts/{contactId}/tasks/{taskId}`. */
export interface GetTask {
  /** The contact. */
  contactId: string;
  /** The task. */
  taskId: string;
}

/** `GET /users/{userId}`. */
export interface GetUser {
  /** The user. */
  userId: string;
}

/** The params (declared for the catalog's schema; read through it). */
export interface GetWithActivity {
  /** The contact. */
  contactId: string;
  /** Which parts to read besides the contact (default: all three). */
  include?: Part[] | null;
}

/** An inbound DND state. */
export interface InboundDnd {
  /** Why. */
  message?: string | null;
  /** `active` or `inactive`. */
  status: DndStatus;
}

/** Inbound do-not-disturb (input only): `{all: {status, message}}`. */
export interface InboundDndSettings {
  /** Every inbound channel. */
  all?: InboundDnd | null;
}

/** INSTALL: an app was installed in a location or agency. */
export interface InstallEvent {
  /** The app. */
  appId?: string | null;
  /** The agency. */
  companyId?: string | null;
  /** The agency's name. */
  companyName?: string | null;
  /** `Location` or `Company`. */
  installType?: string | null;
  /** The location, for location installs. */
  locationId?: string | null;
  /** The plan. */
  planId?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The installing user. */
  userId?: string | null;
  /** The app version. */
  versionId?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** A location where an app is installed (`/oauth/installedLocations`). */
export interface InstalledLocation {
  /** The location id. */
  _id?: string | null;
  /** Address. */
  address?: string | null;
  /** Whether the app is installed there. */
  isInstalled?: boolean | null;
  /** Name. */
  name?: string | null;
  [key: string]: unknown;
}

/** `{locations, count}` from `/oauth/installedLocations`. */
export interface InstalledLocationsResponse {
  /** Total count. */
  count?: number | null;
  /** The locations. */
  locations?: InstalledLocation[];
  [key: string]: unknown;
}

/** A kind of feed item. */
export type Kind = "notes" | "tasks" | "appointments";

/** `GET /calendars/appointments/{appointmentId}/notes`. */
export interface ListAppointmentNotes {
  /** The appointment. */
  appointmentId: string;
  /** Page size (the API requires one; 10 when absent). */
  limit?: number;
  /** How many to skip. */
  offset?: number;
}

/** `GET /contacts/{contactId}/appointments`. */
export interface ListAppointments {
  /** The contact. */
  contactId: string;
}

/** `GET /associations/`: a location's associations. */
export interface ListAssociations {
  /** Page size (the API requires one; 100 when absent). */
  limit?: number;
  /** The location. */
  locationId: string;
  /** How many to skip. */
  skip?: number;
}

/** `GET /businesses/`. */
export interface ListBusinesses {
  /** Page size. */
  limit?: number | null;
  /** The location. */
  locationId: string;
  /** How many to skip. */
  skip?: number | null;
}

/**
 * `GET /calendars/events`: the events of a calendar, a user or a group in a
 * range.
 */
export interface ListCalendarEvents {
  /** The calendar (one of `calendarId`, `userId`, `groupId` is needed). */
  calendarId?: string | null;
  /** Range end, Unix milliseconds. */
  endTime: number;
  /** The calendar group. */
  groupId?: string | null;
  /** The location. */
  locationId: string;
  /** Range start, Unix milliseconds. */
  startTime: number;
  /** The user. */
  userId?: string | null;
}

/** `GET /calendars/`. */
export interface ListCalendars {
  /** Only the calendars of this group. */
  groupId?: string | null;
  /** The location. */
  locationId: string;
  /** Include draft calendars. */
  showDrafted?: boolean | null;
}

/**
 * `GET /contacts/` (deprecated by HighLevel in favour of search, but the only
 * cursor that walks a whole location in creation order).
 */
export interface ListContacts {
  /** Page size, 1 to 100 (the API's default is 20). */
  limit?: number | null;
  /** The location. */
  locationId: string;
  /** Full-text query. */
  query?: string | null;
  /** Cursor: the epoch-ms `startAfter` from the previous page's `meta`. */
  startAfter?: number | null;
  /** Cursor: the `startAfterId` from the previous page's `meta`. */
  startAfterId?: string | null;
}

/** `GET /contacts/business/{businessId}`. */
export interface ListContactsByBusiness {
  /** The business. */
  businessId: string;
  /** Page size (the API's default is 25). */
  limit?: number | null;
  /** The location. */
  locationId: string;
  /** Full-text query. */
  query?: string | null;
  /** How many to skip. */
  skip?: number | null;
}

/** `GET /locations/{locationId}/customFields`: the ids to write custom field values with. */
export interface ListCustomFields {
  /** The location. */
  locationId: string;
  /** Which objects' fields. */
  model?: CustomFieldModel | null;
}

/** `GET /locations/{locationId}/customValues`. */
export interface ListCustomValues {
  /** The location. */
  locationId: string;
}

/** `GET /oauth/installedLocations` (agency token). */
export interface ListInstalledLocations {
  /** The app. */
  appId: string;
  /** The agency. */
  companyId: string;
  /** Only locations where the app is (or is not) installed. */
  isInstalled?: boolean | null;
  /** Page size (the API's default is 20). */
  limit?: number | null;
  /** Name filter. */
  query?: string | null;
  /** How many to skip. */
  skip?: number | null;
}

/** `GET /locations/{locationId}/tags`. */
export interface ListLocationTags {
  /** The location. */
  locationId: string;
}

/** `meta` of `GET /contacts/` (`ContactsMetaSchema`). */
export interface ListMeta {
  /** Current page number. */
  currentPage?: number | null;
  /** Next page number. */
  nextPage?: number | null;
  /** The API's own next-page URL (not followed: its host is not reliable). */
  nextPageUrl?: string | null;
  /** Previous page number. */
  prevPage?: number | null;
  /** The epoch-ms value to pass as `startAfter` for the next page. */
  startAfter?: number | null;
  /** The id to pass as `startAfterId` for the next page. */
  startAfterId?: string | null;
  /** Total contacts. */
  total?: number | null;
}

/** `GET /contacts/{contactId}/notes`. */
export interface ListNotes {
  /** The contact. */
  contactId: string;
}

/**
 * `GET /custom-fields/object-key/{objectKey}`: the fields of a custom
 * object (`custom_objects.pet`) or of companies (`business`).
 */
export interface ListObjectCustomFields {
  /** The location. */
  locationId: string;
  /** The object, e.g. `custom_objects.pet` or `business`. */
  objectKey: string;
}

/** `GET /associations/relations/{recordId}`: a record's relations. */
export interface ListRelations {
  /** Only relations of these associations. */
  associationIds?: string[] | null;
  /** Page size (the API requires one; 100 when absent). */
  limit?: number;
  /** The location. */
  locationId: string;
  /** The record (a contact id, a custom object record id). */
  recordId: string;
  /** How many to skip. */
  skip?: number;
}

/** `GET /contacts/{contactId}/tasks`. */
export interface ListTasks {
  /** The contact. */
  contactId: string;
}

/** `GET /users/`: the users of a location (location tokens only). */
export interface ListUsers {
  /** The location. */
  locationId: string;
}

/**
 * A location (sub-account), as `locations.get` returns it
 * (`GetLocationByIdSchema`). Its `timezone` is the one its calendars'
 * times are in.
 */
export interface Location {
  /** Street address. */
  address?: string | null;
  /** City. */
  city?: string | null;
  /** The agency (company) it belongs to. */
  companyId?: string | null;
  /** Country (ISO 3166 alpha-2). */
  country?: string | null;
  /** Email. */
  email?: string | null;
  /** The location id. */
  id?: string | null;
  /** Name. */
  name?: string | null;
  /** Phone. */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** State. */
  state?: string | null;
  /** Its IANA time zone, e.g. `America/Chicago`. */
  timezone?: string | null;
  /** Website. */
  website?: string | null;
  [key: string]: unknown;
}

/** A location (sub-account) event: LocationCreate, LocationUpdate. */
export interface LocationEvent {
  /** The agency. */
  companyId?: string | null;
  /** Its email. */
  email?: string | null;
  /** The location. */
  id?: string | null;
  /**
   * The location too, where a delivery carries it (the docs' examples
   * give only `id`).
   */
  locationId?: string | null;
  /** Its name. */
  name?: string | null;
  /** The Stripe product of its plan. */
  stripeProductId?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** `{location}`. */
export interface LocationResponse {
  /** The location. */
  location?: Location | null;
  [key: string]: unknown;
}

/** A tag defined in a location. */
export interface LocationTag {
  /** The tag id. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** The tag name. */
  name?: string | null;
  [key: string]: unknown;
}

/** `{tag}` of a location, or `{succeded}` from delete. */
export interface LocationTagResponse {
  /** Delete only: whether it succeeded. */
  succeeded?: boolean | null;
  /** The tag (absent on delete). */
  tag?: LocationTag | null;
  [key: string]: unknown;
}

/** `{tags}` of a location. */
export interface LocationTagsResponse {
  /** The tags. */
  tags?: LocationTag[];
  [key: string]: unknown;
}

export interface MappingTemplate {
  $schema?: string;
  /** what records are called in error paths: members[3].phone */
  collection?: string;
  direction?: "forward" | "both";
  fields: ({
    /** a contact custom field's key, contact.favorite_color */
    customField?: string;
    default?: JsonValue;
    from?: string | string[];
    required?: boolean;
    reverse?: false | {
      customField?: string;
      from?: string | string[];
      to?: string | string[];
      transforms?: Transform[];
    };
    rules?: ({
      rule: "required";
    } | {
      ignoreCase?: boolean;
      pattern?: string;
      rule: "pattern";
    } | {
      rule: "email";
    } | {
      region?: string;
      rule: "phone";
    } | {
      max?: number;
      min?: number;
      rule: "length";
    } | {
      rule: "oneOf";
      values?: JsonValue[];
    })[];
    to?: string | string[];
    transforms?: Transform[];
  })[];
  name?: string;
  /** phone numbers' default region */
  region?: string;
  rules?: ({
    paths?: JsonValue[];
    rule: "anyPresent";
  } | {
    condition?: Record<string, JsonValue>;
    message?: string;
    rule: "condition";
  })[];
  target: "contact" | "task" | "note";
  /** dates' default IANA zone */
  timeZone?: string;
}

/** Where a meeting happens. */
export type MeetingLocationType = "custom" | "zoom" | "gmeet" | "phone" | "address" | "ms_teams" | "google";

/** `{"memory": true}`. */
export interface MemoryState {
  /** `true`. */
  memory: true;
}

/**
 * A message event: InboundMessage (a contact wrote) or OutboundMessage
 * (the location wrote), on any channel (SMS, email, calls, chat, …).
 */
export interface MessageEvent {
  /** Attachment URLs. */
  attachments?: JsonValue[] | null;
  /** The text. */
  body?: string | null;
  /** A call's length in seconds. */
  callDuration?: number | null;
  /** A call's status. */
  callStatus?: string | null;
  /** The contact. */
  contactId?: string | null;
  /** The MIME type of the body. */
  contentType?: string | null;
  /** The conversation. */
  conversationId?: string | null;
  /** A custom conversation provider. */
  conversationProviderId?: string | null;
  /** ISO time it was added. */
  dateAdded?: string | null;
  /** `inbound` or `outbound`. */
  direction?: string | null;
  /** The location. */
  locationId?: string | null;
  /** The message. */
  messageId?: string | null;
  /** The channel: `SMS`, `Email`, `CALL`, `Live Chat`, … */
  messageType?: string | null;
  /** Where an outbound message came from (`workflow`, `app`, …). */
  source?: string | null;
  /** Delivery status. */
  status?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The user who sent it (outbound). */
  userId?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** A note on a contact (`GetNoteSchema`). */
export interface Note {
  /** Body text. */
  body?: string | null;
  /** Colour, e.g. `#FFAA00`. */
  color?: string | null;
  /** The contact it belongs to. */
  contactId?: string | null;
  /** ISO creation time. */
  dateAdded?: string | null;
  /** The note id. */
  id?: string | null;
  /** Pinned to the top. */
  pinned?: boolean | null;
  /** Title. */
  title?: string | null;
  /** The user who wrote it. */
  userId?: string | null;
  [key: string]: unknown;
}

/** A note event: NoteCreate, NoteUpdate, NoteDelete. */
export interface NoteEvent {
  /** Body text. */
  body?: string | null;
  /** The contact. */
  contactId?: string | null;
  /** ISO creation time. */
  dateAdded?: string | null;
  /** The note id. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** `{note}`. */
export interface NoteResponse {
  /** The note. */
  note: Note;
  [key: string]: unknown;
}

/** `{notes}`. */
export interface NotesResponse {
  /** The notes. */
  notes?: Note[];
  [key: string]: unknown;
}

/** The OAuth client (Marketplace app) credentials used for code exchange and refresh. */
export interface OAuthClient {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret. */
  clientSecret: Secret;
}

/**
 * An OAuth token set, as returned by `/oauth/token` or `/oauth/locationToken`.
 *
 * `expires_at_ms` is absolute (Unix milliseconds), computed by the caller
 * from `expires_in` and its own clock: the core never reads a clock.
 */
export interface OAuthTokens {
  /** The bearer access token. */
  accessToken: Secret;
  /** The company (agency) the token belongs to, if known. */
  companyId?: string | null;
  /** When the access token expires, in Unix milliseconds, if known. */
  expiresAtMs?: number | null;
  /** The location (sub-account) the token is for, if any. */
  locationId?: string | null;
  /** The refresh token; rotates on every refresh (the old one stops working). */
  refreshToken?: Secret | null;
  /** Granted scopes, space-separated, if known. */
  scope?: string | null;
  /** Location or Company (Location when absent). */
  userType?: UserType;
}

/** A custom field of a custom object or of companies (`ICustomField`). */
export interface ObjectCustomField {
  /** `TEXT`, `NUMERICAL`, `SINGLE_OPTIONS`, … */
  dataType?: string | null;
  /** Key, e.g. `custom_objects.pet.breed`. */
  fieldKey?: string | null;
  /** The field id. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** Display name. */
  name?: string | null;
  /** The object it belongs to, e.g. `custom_objects.pet` or `business`. */
  objectKey?: string | null;
  /** Options of select-like fields. */
  options?: FieldOption[] | null;
  /** The folder it sits in. */
  parentId?: string | null;
  [key: string]: unknown;
}

/** `{field}`. */
export interface ObjectCustomFieldResponse {
  /** The field. */
  field: ObjectCustomField;
  [key: string]: unknown;
}

/** `{fields, folders}`: an object's custom fields. */
export interface ObjectCustomFieldsResponse {
  /** The fields. */
  fields?: ObjectCustomField[];
  /** The folders they sit in. */
  folders?: JsonValue[];
  [key: string]: unknown;
}

/** Open hours on some days of the week (`OpenHour`). */
export interface OpenHours {
  /** Days, 0 (Sunday) to 6 (Saturday). */
  daysOfTheWeek?: number[];
  /** The open intervals of each of those days. */
  hours?: OpenInterval[];
  [key: string]: unknown;
}

/** One open interval of a day, in the calendar's time zone (`Hour`). */
export interface OpenInterval {
  /** Closing hour, 0–24. */
  closeHour: number;
  /** Closing minute. */
  closeMinute: number;
  /** Opening hour, 0–23. */
  openHour: number;
  /** Opening minute. */
  openMinute: number;
}

/**
 * An opportunity event: OpportunityCreate, OpportunityUpdate,
 * OpportunityDelete, OpportunityStageUpdate, OpportunityStatusUpdate,
 * OpportunityAssignedToUpdate, OpportunityMonetaryValueUpdate (DOC-WH
 * Opportunity*: one payload for all seven).
 */
export interface OpportunityEvent {
  /** The user it is assigned to. */
  assignedTo?: string | null;
  /** The contact it is for. */
  contactId?: string | null;
  /** ISO creation time. */
  dateAdded?: string | null;
  /** The opportunity. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** Its value. */
  monetaryValue?: number | null;
  /** Its name. */
  name?: string | null;
  /** The pipeline. */
  pipelineId?: string | null;
  /** The pipeline stage. */
  pipelineStageId?: string | null;
  /** Where it came from. */
  source?: string | null;
  /** `open`, `won`, `lost` or `abandoned`. */
  status?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** What happened to one part. */
export type Outcome = "created" | "updated" | "unchanged";

/** A part of a contact's activity. */
export type Part = "tasks" | "notes" | "appointments";

/** One part's id and outcome. */
export interface PartReport {
  /**
   * The contact only: each field sent that did not come back as written
   * (compared after normalising email case, phone digits, tag case and
   * dates), as `contacts.upsert` reports it; empty when nothing was lost.
   */
  dropped?: DroppedField[] | null;
  /** Its id. */
  id: string;
  /** What this capture did to it. */
  outcome: Outcome;
}

/**
 * A poll's params (`poll(triggers, params, checkpoint)` on every surface).
 * Unknown fields are refused.
 */
export interface PollParams {
  /** The calendars appointment triggers read; every calendar by default. */
  calendarIds?: string[] | null;
  /** The location to poll; the credentials' by default. */
  locationId?: string | null;
  /**
   * The most requests one poll sends (default 100). A poll cut short
   * says `more`, and its checkpoint goes on where it stopped.
   */
  maxRequests?: number | null;
  /**
   * How far before the newest `dateUpdated` seen each contact read
   * starts, for search's lag (default 30000).
   */
  overlapMs?: number | null;
  /** Contacts per search page (default 500). */
  pageLimit?: number | null;
  /**
   * How often ContactDelete scans every contact (default 3600000; 0:
   * every poll).
   */
  reconcileEveryMs?: number | null;
  /**
   * Names the per-record state (by default derived from the triggers):
   * two hosts that poll the same triggers into one store name theirs.
   */
  subscription?: string | null;
  /** Tasks per page (default 100). */
  taskPageLimit?: number | null;
  /**
   * Appointment triggers read appointments starting within this far
   * either side of now (default 30 days).
   */
  windowMs?: number | null;
}

/** A location's rate budget (HighLevel: 100 per 10 s, 200,000 a day). */
export interface RateLimitsConfig {
  /** Requests per burst window (above 0). */
  burstMax: number;
  /** Requests per day. */
  dailyMax: number;
  /**
   * Once the day's budget is spent, how long calls are refused before one
   * probes whether it has reset (default 900000: HighLevel documents no
   * reset time).
   */
  dailyProbeMs?: number | null;
  /** The burst window in milliseconds (above 0). */
  intervalMs: number;
}

/**
 * `POST /oauth/token` with `grant_type=refresh_token`. Never retried: the
 * refresh token rotates, so a lost answer must not be asked for twice.
 */
export interface RefreshToken {
  /** The app's client id. */
  clientId: string;
  /** The app's client secret. */
  clientSecret: Secret;
  /** The current refresh token. */
  refreshToken: Secret;
  /** Whose token it is. */
  userType?: UserType;
}

/** A relation: one link of an association between two records. */
export interface Relation {
  /** The association it is a link of. */
  associationId?: string | null;
  /** The first record. */
  firstRecordId?: string | null;
  /** The relation id. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** The second record. */
  secondRecordId?: string | null;
  [key: string]: unknown;
}

/**
 * A relation (one link between two records under an association) event:
 * RelationCreate, RelationDelete.
 */
export interface RelationEvent {
  /** The association it is under. */
  associationId?: string | null;
  /** The first record's object key. */
  firstObjectKey?: string | null;
  /** The first record. */
  firstRecordId?: string | null;
  /** The relation. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** The second record's object key. */
  secondObjectKey?: string | null;
  /** The second record. */
  secondRecordId?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** `{relations, total}`: a record's relations. */
export interface RelationsResponse {
  /** The relations. */
  relations?: Relation[];
  /** How many in all. */
  total?: number | null;
  [key: string]: unknown;
}

/** `DELETE /contacts/{contactId}/followers` (with a JSON body). */
export interface RemoveFollowers {
  /** The contact. */
  contactId: string;
  /** User ids to remove. */
  followers: string[];
}

/** `DELETE /contacts/{contactId}/campaigns/removeAll`. */
export interface RemoveFromAllCampaigns {
  /** The contact. */
  contactId: string;
}

/** `DELETE /contacts/{contactId}/campaigns/{campaignId}`. */
export interface RemoveFromCampaign {
  /** The campaign. */
  campaignId: string;
  /** The contact. */
  contactId: string;
}

/** `DELETE /contacts/{contactId}/workflow/{workflowId}`. */
export interface RemoveFromWorkflow {
  /** The contact. */
  contactId: string;
  /** As on enrolment. */
  eventStartTime?: string | null;
  /** The workflow. */
  workflowId: string;
}

/** `DELETE /contacts/{contactId}/tags` (with a JSON body). */
export interface RemoveTags {
  /** The contact. */
  contactId: string;
  /** Tags to remove. */
  tags: string[];
}

/** How failed calls are retried. */
export interface RetryConfig {
  /** The first backoff, doubled each retry. */
  baseDelayMs: number;
  /** Attempts in all, the first included (at least 1). */
  maxAttempts: number;
  /** The longest backoff. */
  maxDelayMs: number;
}

/** Where a run stands. */
export type RunState = "running" | "done" | "skipped" | "invalid" | "failed" | "unknownOutcome" | "ignored";

/** `POST /contacts/search` (body documented in fact sheet §4.2). */
export interface SearchContacts {
  /** Filters, joined by AND. */
  filters?: Filter[] | null;
  /** The location. */
  locationId: string;
  /** 1-based page, while `page × pageLimit` ≤ 10,000. Not with `searchAfter`. */
  page?: number | null;
  /** Page size, 1 to 500. */
  pageLimit: number;
  /** Full-text query over searchable fields (at most 75 characters). */
  query?: string | null;
  /** Cursor: the `searchAfter` of the previous page's last contact. */
  searchAfter?: JsonValue[] | null;
  /** Sort keys. */
  sort?: Sort[] | null;
}

/** `POST /locations/{locationId}/tasks/search`: tasks across a location. */
export interface SearchTasks {
  /** Only tasks assigned to these users. */
  assignedTo?: string[] | null;
  /** Only tasks of this business. */
  businessId?: string | null;
  /** Only completed (true) or pending (false) tasks. */
  completed?: boolean | null;
  /** Only tasks of these contacts. */
  contactId?: string[] | null;
  /** Page size (the API's default is 25). */
  limit?: number | null;
  /** The location. */
  locationId: string;
  /** Full-text query. */
  query?: string | null;
  /** How many to skip. */
  skip?: number | null;
}

/** `GET /users/search`: users of an agency, by text, role, location or id. */
export interface SearchUsers {
  /**
   * The agency (required; the CLI reads `--company-id` or
   * `HIGHLEVEL_COMPANY_ID`).
   */
  companyId: string;
  /** Only these users. */
  ids?: string[] | null;
  /** Page size. */
  limit?: number | null;
  /** Only users of this location. */
  locationId?: string | null;
  /** Text in the name, email or phone. */
  query?: string | null;
  /** `admin` or `user`. */
  role?: string | null;
  /** How many to skip. */
  skip?: number | null;
  /** Field to sort by (`dateAdded`, …). */
  sort?: string | null;
  /** `asc` or `desc`. */
  sortDirection?: string | null;
  /** `agency` or `account`. */
  type?: string | null;
}

/**
 * A secret string (token, client secret). Prints as `[redacted]`.
 *
 * The value is reachable only through [`Secret::expose`], so a secret never
 * lands in a log line or an error message by accident.
 */
export type Secret = string;

/** A sort key. */
export interface Sort {
  /** The direction. */
  direction: SortDirection;
  /** The field, e.g. `dateAdded`. */
  field: string;
}

/** Sort direction. */
export type SortDirection = "asc" | "desc";

/** `{"sqlite": path}`. */
export interface SqliteState {
  /** The file. */
  sqlite: string;
}

/**
 * One SQLite file (native builds), memory (gone with the process), or the
 * fleet's store.
 */
export type StateConfig = SqliteState | MemoryState | FleetState;

/** One step's line of the log. */
export interface StepRecord {
  /** Its catalog action. */
  action: string;
  /** `{code, message}` when it failed. */
  error?: JsonValue;
  /** The step's name. */
  name: string;
  /**
   * How a step whose answer was not logged was settled: `marker` (found
   * by its marker), `resent` (sent again, harmlessly), `notSent` (its
   * marker was not found, so it was sent).
   */
  recovered?: string | null;
  /** The action's result, once done. */
  result?: JsonValue;
  /** Where it stands. */
  state: StepState;
}

/** Where a step stands. */
export type StepState = "pending" | "sending" | "done" | "skipped" | "failed" | "unknownOutcome";

/** `{succeded}` (sic) from deletes, campaigns and workflows. */
export interface SucceededResponse {
  /** Whether it succeeded. */
  succeeded?: boolean | null;
  [key: string]: unknown;
}

/** `{success}` after deleting an appointment note. */
export interface SuccessResponse {
  /** Whether it succeeded. */
  success?: boolean | null;
  [key: string]: unknown;
}

/** Which appointments a sync reads. */
export interface SyncAppointments {
  /**
   * The calendars read (default: every calendar of the location, one
   * request more per pass).
   */
  calendarIds?: string[] | null;
  /**
   * Appointments starting within this many ms either side of now
   * (default 30 days).
   */
  windowMs?: number | null;
}

/**
 * A sync's settings (`client.syncPass`, `contacts_sync_pass`, `contacts
 * sync --settings`; the README's "Two-way sync"). Unknown fields are
 * refused.
 */
export interface SyncConfig {
  /**
   * Which appointments a pass with an appointments adapter writes to
   * the host (HighLevel to the host only).
   */
  appointments?: SyncAppointments | null;
  /** What a delete on each side does. */
  deletes?: SyncDeletes | null;
  /** Decide and report; write nothing and keep no state. */
  dryRun?: boolean | null;
  /**
   * Policies by field: a template field's target (`email`,
   * `firstName,lastName`, `customFields["contact.hours"]`).
   */
  fields?: {
    [key: string]: SyncPolicy;
  } | null;
  /** Host records per changes call (default 500). */
  hostPageLimit?: number | null;
  /**
   * How long a pass holds the sync's lease before renewing it (default
   * 120000).
   */
  leaseMs?: number | null;
  /** How long a pass waits for another pass's lease (default 120000). */
  leaseWaitMs?: number | null;
  /** The sync's name: its state lives under `sync/<name>/`. */
  name: string;
  /**
   * How far before the newest `dateUpdated` seen a pass reads again
   * (default 60000).
   */
  overlapMs?: number | null;
  /** Contacts per search page (default 500). */
  pageLimit?: number | null;
  /** Who wins a field both sides changed (default `newest`). */
  policy?: SyncPolicy | null;
  /** How often the delete scan reads every contact id (default a day). */
  reconcileEveryMs?: number | null;
  /**
   * Within this many ms of each other, `newest` calls it a conflict
   * (default 2000).
   */
  skewMs?: number | null;
}

/** A delete policy. */
export type SyncDelete = "propagate" | "tombstone";

/** What a record deleted on one side does to the other. */
export interface SyncDeletes {
  /** A HighLevel contact deleted (default `tombstone`). */
  fromHighLevel?: SyncDelete | null;
  /** A host record deleted (default `propagate`). */
  fromHost?: SyncDelete | null;
}

/** Who wins a field both sides changed. */
export type SyncPolicy = "highlevel" | "host" | "newest" | "report";

/** The tags part. */
export interface TagsReport {
  /** The tags added. */
  added: string[];
  /** What this capture did to the contact's tags. */
  outcome: Outcome;
}

/** `{tags}` after adding or removing tags on a contact. */
export interface TagsResponse {
  /** The contact's tags now. */
  tags?: string[];
  [key: string]: unknown;
}

/** A task on a contact (`TaskSchema`). */
export interface Task {
  /** Assigned user id. */
  assignedTo?: string | null;
  /** Body text. */
  body?: string | null;
  /** Whether it is done. */
  completed?: boolean | null;
  /** The contact it belongs to. */
  contactId?: string | null;
  /** ISO creation time, where the API sends it. */
  dateAdded?: string | null;
  /** ISO due date. */
  dueDate?: string | null;
  /** The task id. */
  id?: string | null;
  /** Title. */
  title?: string | null;
  [key: string]: unknown;
}

/**
 * A task event: TaskCreate, TaskComplete, TaskDelete (there is no TaskUpdate;
 * real TaskCreate payloads may lack `contactId` and `body`, issue #332).
 */
export interface TaskEvent {
  /** Assigned user. */
  assignedTo?: string | null;
  /** Body. */
  body?: string | null;
  /** The contact. */
  contactId?: string | null;
  /** ISO creation time. */
  dateAdded?: string | null;
  /** ISO due date. */
  dueDate?: string | null;
  /** The task id. */
  id?: string | null;
  /** The location. */
  locationId?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** Title. */
  title?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** `{task}`. */
export interface TaskResponse {
  /** The task. */
  task: Task;
  [key: string]: unknown;
}

/** The result. */
export interface TaskSetResult {
  /** The tasks created, in the set's order. */
  created: CreatedTask[];
  /**
   * The indexes (in the set) of the tasks whose condition the contact
   * did not meet.
   */
  skipped: number[];
}

/**
 * One task of a set. `title` and `body` are templates of the shared
 * language (`{{contact.firstName}}`), `when` a condition of it, both over
 * `contact` (the contact as `contacts.get` returns it) and `now`.
 */
export interface TaskTemplate {
  /** The user it is assigned to (else the set's `assignedTo`). */
  assignedTo?: string | null;
  /** The body (a template). */
  body?: string | null;
  /** When it is due. */
  due: Due;
  /** The title (a template). */
  title: string;
  /**
   * Create it only when the contact meets this condition (the catalog's
   * `language.condition`).
   */
  when?: JsonValue;
}

/** `{tasks}`. */
export interface TasksResponse {
  /** The tasks. */
  tasks?: Task[];
  [key: string]: unknown;
}

/**
 * A token response from `/oauth/token` or `/oauth/locationToken`
 * (snake_case v2 fields; the v3 camelCase spellings are accepted too).
 * `Debug` redacts both tokens.
 */
export interface TokenResponse {
  /** The access token. */
  access_token: Secret;
  /** The company. */
  companyId?: string | null;
  /** Lifetime in seconds (about a day). */
  expires_in?: number | null;
  /** The location, for location tokens. */
  locationId?: string | null;
  /** The new refresh token: persist it, the old one no longer works. */
  refresh_token?: Secret | null;
  /** Granted scopes, space-separated. */
  scope?: string | null;
  /** `Bearer`. */
  token_type?: string | null;
  /** The installing user. */
  userId?: string | null;
  /** `Location` or `Company`. */
  userType?: UserType | null;
  [key: string]: unknown;
}

export type Transform = {
  fn: "trim";
} | {
  fn: "lower";
} | {
  fn: "upper";
} | {
  fn: "title";
} | {
  fn: "splitName";
} | {
  fn: "joinName";
} | {
  fn: "email";
} | {
  fn: "date";
  from: string;
  to: string;
  zone?: string;
} | {
  default?: JsonValue;
  fn: "map";
  values: Record<string, JsonValue>;
} | {
  fn: "constant";
  value: JsonValue;
} | {
  fn: "template";
  template: JsonValue;
} | {
  fn: "tags";
  separator?: string;
} | {
  fn: "joinTags";
  separator?: string;
} | {
  fn: "phone";
  region?: string;
} | {
  fn: "number";
} | {
  fn: "text";
} | "trim" | "lower" | "upper" | "title" | "splitName" | "joinName" | "email" | "tags" | "joinTags" | "phone" | "number" | "text";

/** UNINSTALL: an app was removed. */
export interface UninstallEvent {
  /** The app. */
  appId?: string | null;
  /** The agency, for agency uninstalls. */
  companyId?: string | null;
  /** The location, for location uninstalls. */
  locationId?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/**
 * `PUT /calendars/events/appointments/{eventId}`: changes an appointment
 * (reschedule, reassign, set its status).
 */
export interface UpdateAppointment {
  /** Address or meeting link. */
  address?: string | null;
  /** Status. */
  appointmentStatus?: AppointmentStatus | null;
  /** The user it is assigned to. */
  assignedUserId?: string | null;
  /** Move it to this calendar. */
  calendarId?: string | null;
  /** Description. */
  description?: string | null;
  /**
   * End, ISO 8601 with an offset; the calendar's slot duration after the
   * start when absent.
   */
  endTime?: string | null;
  /** The appointment (event) id. */
  eventId: string;
  /** Book outside the calendar's booking window. */
  ignoreDateRange?: boolean | null;
  /** Book even when the slot is not free (taken, or outside open hours). */
  ignoreFreeSlotValidation?: boolean | null;
  /** The meeting location's configuration id. */
  meetingLocationId?: string | null;
  /** Where the meeting happens. */
  meetingLocationType?: MeetingLocationType | null;
  /** Use `address` instead of the calendar's location configuration. */
  overrideLocationConfig?: boolean | null;
  /** Recurrence rule (RFC 5545 `RRULE`). */
  rrule?: string | null;
  /** New start, ISO 8601 with an offset. */
  startTime?: string | null;
  /** Title. */
  title?: string | null;
  /** Send the calendar's notifications. */
  toNotify?: boolean | null;
}

/** `PUT /calendars/appointments/{appointmentId}/notes/{noteId}`. */
export interface UpdateAppointmentNote {
  /** The appointment. */
  appointmentId: string;
  /** New text. */
  body: string;
  /** The note. */
  noteId: string;
  /** The user writing it. */
  userId?: string | null;
}

/** `PUT /businesses/{businessId}`. */
export interface UpdateBusiness {
  /** Street address. */
  address?: string | null;
  /** The business. */
  businessId: string;
  /** City. */
  city?: string | null;
  /** Country. */
  country?: string | null;
  /** Description. */
  description?: string | null;
  /** Email. */
  email?: string | null;
  /** New name. */
  name?: string | null;
  /** Phone. */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** State. */
  state?: string | null;
  /** Website. */
  website?: string | null;
}

/** `PUT /contacts/{contactId}`. */
export interface UpdateContact {
  /** Street address. */
  address1?: string | null;
  /** The user to assign the contact to. */
  assignedTo?: string | null;
  /** City. */
  city?: string | null;
  /** The contact id. */
  contactId: string;
  /** Country code. */
  country?: string | null;
  /**
   * Custom field values, by id; or by key through a client, which
   * resolves keys with the location's definitions.
   */
  customFields?: CustomFieldWrite[] | null;
  /** Date of birth, e.g. `1990-09-25`. */
  dateOfBirth?: string | null;
  /** Global do-not-disturb flag. */
  dnd?: boolean | null;
  /** Do-not-disturb per channel. */
  dndSettings?: DndSettings | null;
  /** Email address. */
  email?: string | null;
  /** First name. */
  firstName?: string | null;
  /** Inbound do-not-disturb. */
  inboundDndSettings?: InboundDndSettings | null;
  /** Last name. */
  lastName?: string | null;
  /** Full name. */
  name?: string | null;
  /** Phone number (E.164 preferred). */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** Source. */
  source?: string | null;
  /** State or region. */
  state?: string | null;
  /** Tags (replace all existing tags). */
  tags?: string[] | null;
  /** IANA time zone. */
  timezone?: string | null;
  /** Website. */
  website?: string | null;
}

/** `PUT /locations/{locationId}/customValues/{id}`. */
export interface UpdateCustomValue {
  /** The custom value. */
  id: string;
  /** The location. */
  locationId: string;
  /** Name (the API requires it on every update). */
  name: string;
  /** The value. */
  value: string;
}

/** `PUT /locations/{locationId}/customFields/{id}`. */
export interface UpdateLocationCustomField {
  /** File types a `FILE_UPLOAD` field accepts. */
  acceptedFormat?: string[] | null;
  /** The field. */
  id: string;
  /** Whether a `FILE_UPLOAD` field takes several files. */
  isMultipleFile?: boolean | null;
  /** The location. */
  locationId: string;
  /** How many files a `FILE_UPLOAD` field takes. */
  maxNumberOfFiles?: number | null;
  /** `contact` or `opportunity`. */
  model?: FieldModel | null;
  /** Display name (the API requires it on every update). */
  name: string;
  /** Placeholder text. */
  placeholder?: string | null;
  /** Position in forms. */
  position?: number | null;
  /** Options of a `TEXTBOX_LIST` field. */
  textBoxListOptions?: JsonValue[] | null;
}

/** `PUT /locations/{locationId}/tags/{tagId}`. */
export interface UpdateLocationTag {
  /** The location. */
  locationId: string;
  /** The new name. */
  name: string;
  /** The tag. */
  tagId: string;
}

/** `PUT /contacts/{contactId}/notes/{id}`. */
export interface UpdateNote {
  /** Body text. */
  body?: string | null;
  /** Colour. */
  color?: string | null;
  /** The contact. */
  contactId: string;
  /** The note. */
  noteId: string;
  /** Pinned. */
  pinned?: boolean | null;
  /** Title. */
  title?: string | null;
  /** The author. */
  userId?: string | null;
}

/** `PUT /custom-fields/{id}`. */
export interface UpdateObjectCustomField {
  /** File types a `FILE_UPLOAD` field accepts (`.pdf`, …, `all`). */
  acceptedFormats?: string | null;
  /** Description. */
  description?: string | null;
  /** The field. */
  id: string;
  /** The location. */
  locationId: string;
  /** How many files a `FILE_UPLOAD` field takes. */
  maxFileLimit?: number | null;
  /** Display name. */
  name?: string | null;
  /** Options of select-like fields. */
  options?: FieldOption[] | null;
  /** Placeholder text. */
  placeholder?: string | null;
  /** Whether forms show it (the API requires it on every update). */
  showInForms: boolean;
}

/** `PUT /contacts/{contactId}/tasks/{taskId}`. */
export interface UpdateTask {
  /** Assigned user. */
  assignedTo?: string | null;
  /** Body text. */
  body?: string | null;
  /** Done or not. */
  completed?: boolean | null;
  /** The contact. */
  contactId: string;
  /** ISO due date. */
  dueDate?: string | null;
  /** The task. */
  taskId: string;
  /** Title. */
  title?: string | null;
}

/**
 * `POST /contacts/upsert`: update the contact matching email or phone (by
 * the location's duplicate settings), or create one.
 */
export interface UpsertContact {
  /** Street address. */
  address1?: string | null;
  /** The user to assign the contact to. */
  assignedTo?: string | null;
  /** City. */
  city?: string | null;
  /** Company name. */
  companyName?: string | null;
  /** Country code. */
  country?: string | null;
  /** Create a new contact even if one matches, where the location allows duplicates. */
  createNewIfDuplicateAllowed?: boolean | null;
  /**
   * Custom field values, by id; or by key through a client, which
   * resolves keys with the location's definitions.
   */
  customFields?: CustomFieldWrite[] | null;
  /** Date of birth, e.g. `1990-09-25`. */
  dateOfBirth?: string | null;
  /** Global do-not-disturb flag. */
  dnd?: boolean | null;
  /** Do-not-disturb per channel. */
  dndSettings?: DndSettings | null;
  /** Email address. */
  email?: string | null;
  /** First name. */
  firstName?: string | null;
  /** Gender. */
  gender?: string | null;
  /** Inbound do-not-disturb. */
  inboundDndSettings?: InboundDndSettings | null;
  /** Last name. */
  lastName?: string | null;
  /** The location. */
  locationId: string;
  /** Full name. */
  name?: string | null;
  /** Phone number (E.164 preferred). */
  phone?: string | null;
  /** Postal code. */
  postalCode?: string | null;
  /** Source. */
  source?: string | null;
  /** State or region. */
  state?: string | null;
  /** Tags (replace all existing tags). */
  tags?: string[] | null;
  /** IANA time zone. */
  timezone?: string | null;
  /** Website. */
  website?: string | null;
}

/** A user (`UserSchema`). */
export interface User {
  /** Whether the user was deleted. */
  deleted?: boolean | null;
  /** Email. */
  email?: string | null;
  /** Phone extension. */
  extension?: string | null;
  /** First name. */
  firstName?: string | null;
  /** The user id. */
  id?: string | null;
  /** Last name. */
  lastName?: string | null;
  /** Full name. */
  name?: string | null;
  /** Phone. */
  phone?: string | null;
  /**
   * Role: `type` (`agency` or `account`), `role` (`admin` or `user`) and
   * the locations it reaches.
   */
  roles?: UserRoles | null;
  [key: string]: unknown;
}

/** UserCreate: a user was added to a location or agency. */
export interface UserEvent {
  /** The agency. */
  companyId?: string | null;
  /** Email. */
  email?: string | null;
  /** Phone extension. */
  extension?: string | null;
  /** First name. */
  firstName?: string | null;
  /** The user. */
  id?: string | null;
  /** Last name. */
  lastName?: string | null;
  /** The location. */
  locationId?: string | null;
  /** The locations the user belongs to. */
  locations?: string[] | null;
  /** What the user may do, flag by flag (`contactsEnabled`, …). */
  permissions?: {
    [key: string]: unknown;
  } | null;
  /** Phone. */
  phone?: string | null;
  /** `admin` or `user`. */
  role?: string | null;
  /** When it was sent (ISO). */
  timestamp?: string | null;
  /** The delivery's unique id. */
  webhookId?: string | null;
  [key: string]: unknown;
}

/** A user's role (`RoleSchema`). */
export interface UserRoles {
  /** The locations the user reaches. */
  locationIds?: string[] | null;
  /** `admin` or `user`. */
  role?: string | null;
  /** `agency` or `account`. */
  type?: string | null;
  [key: string]: unknown;
}

/** Whose token an OAuth token is (`userType` in the token response). */
export type UserType = "Location" | "Company";

/** `{users, count}`. */
export interface UsersResponse {
  /** How many match in all (search). */
  count?: number | null;
  /** The users. */
  users?: User[];
  [key: string]: unknown;
}

/** A webhook verifier's settings. */
export interface WebhookVerifierOptions {
  /** The replay window; absent or 0 for the default. */
  maxAgeMs?: number | null;
  /**
   * Ed25519 public keys (PEM, base64 or hex); absent for HighLevel's
   * published key.
   */
  publicKeys?: string[] | null;
}

/** What calls do without the fleet's Redis. */
export type WhenUnavailableConfig = "failClosed" | "localShare";

/** The result. */
export interface WithActivity {
  /** Its appointments, when included. */
  appointments?: Appointment[] | null;
  /** The contact. */
  contact: Contact;
  /** Its notes, when included. */
  notes?: Note[] | null;
  /** Its tasks, when included. */
  tasks?: Task[] | null;
}

/** Every operation by catalog name: its params and its result. */
export interface Operations {
  /** Get a contact by id. */
  "contacts.get": { params: GetContact; result: ContactResponse };
  /** Create a contact. */
  "contacts.create": { params: CreateContact; result: ContactResponse };
  /** Update a contact (tags given here replace all tags). */
  "contacts.update": { params: UpdateContact; result: ContactResponse };
  /** Delete a contact. */
  "contacts.delete": { params: DeleteContact; result: SucceededResponse };
  /** Create or update a contact matched by email or phone. */
  "contacts.upsert": { params: UpsertContact; result: ContactResponse };
  /** List contacts of a location, oldest first (deprecated upstream; prefer contacts.search). */
  "contacts.list": { params: ListContacts; result: ContactListResponse };
  /** Search contacts with filters, sort and paging. */
  "contacts.search": { params: SearchContacts; result: ContactListResponse };
  /** Find the contact a new one with this email or phone would duplicate. */
  "contacts.findDuplicate": { params: FindDuplicateContact; result: DuplicateResponse };
  /** List the contacts of a business. */
  "contacts.listByBusiness": { params: ListContactsByBusiness; result: ContactListResponse };
  /** Add contacts to a business, or remove them (businessId null). */
  "contacts.bulkBusiness": { params: BulkUpdateBusiness; result: BulkBusinessResponse };
  /** List a contact's tasks. */
  "tasks.list": { params: ListTasks; result: TasksResponse };
  /** Create a task on a contact. */
  "tasks.create": { params: CreateTask; result: TaskResponse };
  /** Get a task. */
  "tasks.get": { params: GetTask; result: TaskResponse };
  /** Update a task. */
  "tasks.update": { params: UpdateTask; result: TaskResponse };
  /** Delete a task. */
  "tasks.delete": { params: DeleteTask; result: SucceededResponse };
  /** Mark a task completed (or reopen it). */
  "tasks.complete": { params: CompleteTask; result: TaskResponse };
  /** Search tasks across a location. */
  "tasks.search": { params: SearchTasks; result: TasksResponse };
  /** List a contact's notes. */
  "notes.list": { params: ListNotes; result: NotesResponse };
  /** Add a note to a contact. */
  "notes.create": { params: CreateNote; result: NoteResponse };
  /** Get a note. */
  "notes.get": { params: GetNote; result: NoteResponse };
  /** Update a note. */
  "notes.update": { params: UpdateNote; result: NoteResponse };
  /** Delete a note. */
  "notes.delete": { params: DeleteNote; result: SucceededResponse };
  /** List a contact's appointments. */
  "appointments.list": { params: ListAppointments; result: AppointmentsResponse };
  /** List the calendars of a location. */
  "calendars.list": { params: ListCalendars; result: CalendarsResponse };
  /** Get a calendar (open hours, slot duration, team). */
  "calendars.get": { params: GetCalendar; result: CalendarResponse };
  /** List a calendar's free slots in a date range (at most 31 days). */
  "calendars.freeSlots": { params: FreeSlots; result: FreeSlotsResponse };
  /** List calendar events in a range, by calendar, user or group. */
  "calendars.events": { params: ListCalendarEvents; result: CalendarEventsResponse };
  /** Book an appointment (a free slot unless ignoreFreeSlotValidation). */
  "appointments.create": { params: CreateAppointment; result: Appointment };
  /** Get an appointment. */
  "appointments.get": { params: GetAppointment; result: CalendarEventResponse };
  /** Change an appointment (time, calendar, assignee, status). */
  "appointments.update": { params: UpdateAppointment; result: Appointment };
  /** Cancel an appointment (sets appointmentStatus to cancelled; it is not deleted). */
  "appointments.cancel": { params: CancelAppointment; result: Appointment };
  /** Delete an appointment (see appointments.cancel to keep it). */
  "appointments.delete": { params: DeleteAppointment; result: SucceededResponse };
  /** List an appointment's notes. */
  "appointmentNotes.list": { params: ListAppointmentNotes; result: AppointmentNotesResponse };
  /** Add a note to an appointment. */
  "appointmentNotes.create": { params: CreateAppointmentNote; result: AppointmentNoteResponse };
  /** Change an appointment's note. */
  "appointmentNotes.update": { params: UpdateAppointmentNote; result: AppointmentNoteResponse };
  /** Delete an appointment's note. */
  "appointmentNotes.delete": { params: DeleteAppointmentNote; result: SuccessResponse };
  /** Add tags to a contact. */
  "tags.add": { params: AddTags; result: TagsResponse };
  /** Remove tags from a contact. */
  "tags.remove": { params: RemoveTags; result: TagsResponse };
  /** Add or remove tags on many contacts at once. */
  "tags.bulkUpdate": { params: BulkUpdateTags; result: BulkTagsResponse };
  /** Add followers to a contact. */
  "followers.add": { params: AddFollowers; result: FollowersResponse };
  /** Remove followers from a contact. */
  "followers.remove": { params: RemoveFollowers; result: FollowersResponse };
  /** Add a contact to a campaign. */
  "campaigns.add": { params: AddToCampaign; result: SucceededResponse };
  /** Remove a contact from a campaign. */
  "campaigns.remove": { params: RemoveFromCampaign; result: SucceededResponse };
  /** Remove a contact from every campaign. */
  "campaigns.removeAll": { params: RemoveFromAllCampaigns; result: SucceededResponse };
  /** Enrol a contact in a workflow. */
  "workflows.add": { params: AddToWorkflow; result: SucceededResponse };
  /** Remove a contact from a workflow. */
  "workflows.remove": { params: RemoveFromWorkflow; result: SucceededResponse };
  /** List the businesses of a location. */
  "businesses.list": { params: ListBusinesses; result: BusinessesResponse };
  /** Get a business. */
  "businesses.get": { params: GetBusiness; result: BusinessResponse };
  /** Create a business. */
  "businesses.create": { params: CreateBusiness; result: BusinessResponse };
  /** Update a business. */
  "businesses.update": { params: UpdateBusiness; result: BusinessResponse };
  /** Delete a business. */
  "businesses.delete": { params: DeleteBusiness; result: BusinessResponse };
  /** Get a location (sub-account): its name, address and time zone. */
  "locations.get": { params: GetLocation; result: LocationResponse };
  /** List the tags defined in a location. */
  "locationTags.list": { params: ListLocationTags; result: LocationTagsResponse };
  /** Define a tag in a location. */
  "locationTags.create": { params: CreateLocationTag; result: LocationTagResponse };
  /** Get a location tag. */
  "locationTags.get": { params: GetLocationTag; result: LocationTagResponse };
  /** Rename a location tag. */
  "locationTags.update": { params: UpdateLocationTag; result: LocationTagResponse };
  /** Delete a location tag. */
  "locationTags.delete": { params: DeleteLocationTag; result: LocationTagResponse };
  /** List the custom fields defined in a location. */
  "locationCustomFields.list": { params: ListCustomFields; result: CustomFieldsResponse };
  /** List the custom fields defined in a location. (the former name of `locationCustomFields.list`) */
  "customFields.list": { params: ListCustomFields; result: CustomFieldsResponse };
  /** Get a contact custom field of a location (fieldKey, dataType, options). */
  "locationCustomFields.get": { params: GetLocationCustomField; result: CustomFieldResponse };
  /** Define a contact custom field in a location. */
  "locationCustomFields.create": { params: CreateLocationCustomField; result: CustomFieldResponse };
  /** Change a contact custom field of a location. */
  "locationCustomFields.update": { params: UpdateLocationCustomField; result: CustomFieldResponse };
  /** Delete a contact custom field of a location (its values go with it). */
  "locationCustomFields.delete": { params: DeleteLocationCustomField; result: SucceededResponse };
  /** List the custom fields (and folders) of a custom object or of companies. */
  "customFields.v2.list": { params: ListObjectCustomFields; result: ObjectCustomFieldsResponse };
  /** Get a custom field of a custom object or of companies. */
  "customFields.v2.get": { params: GetObjectCustomField; result: ObjectCustomFieldResponse };
  /** Define a custom field of a custom object or of companies. */
  "customFields.v2.create": { params: CreateObjectCustomField; result: ObjectCustomFieldResponse };
  /** Change a custom field of a custom object or of companies. */
  "customFields.v2.update": { params: UpdateObjectCustomField; result: ObjectCustomFieldResponse };
  /** Delete a custom field of a custom object or of companies. */
  "customFields.v2.delete": { params: DeleteObjectCustomField; result: DeletedFieldResponse };
  /** List a location's custom values. */
  "customValues.list": { params: ListCustomValues; result: CustomValuesResponse };
  /** Get a custom value of a location. */
  "customValues.get": { params: GetCustomValue; result: CustomValueResponse };
  /** Create a custom value in a location. */
  "customValues.create": { params: CreateCustomValue; result: CustomValueResponse };
  /** Change a custom value of a location. */
  "customValues.update": { params: UpdateCustomValue; result: CustomValueResponse };
  /** Delete a custom value of a location. */
  "customValues.delete": { params: DeleteCustomValue; result: SucceededResponse };
  /** List the users of a location (a location token). */
  "users.list": { params: ListUsers; result: UsersResponse };
  /** Search the users of an agency (needs companyId). */
  "users.search": { params: SearchUsers; result: UsersResponse };
  /** Get a user. */
  "users.get": { params: GetUser; result: User };
  /** Find an agency's users by email (an agency token). */
  "users.filterByEmail": { params: FilterUsersByEmail; result: UsersResponse };
  /** Link two records by an association. */
  "relations.create": { params: CreateRelation; result: Relation };
  /** List a record's relations. */
  "relations.list": { params: ListRelations; result: RelationsResponse };
  /** Remove a relation (unlink two records). */
  "relations.delete": { params: DeleteRelation; result: Relation };
  /** List a location's associations (kinds of link between records). */
  "associations.list": { params: ListAssociations; result: AssociationsResponse };
  /** Get an association. */
  "associations.get": { params: GetAssociation; result: Association };
  /** Exchange an authorization code for tokens. */
  "oauth.exchangeCode": { params: ExchangeCode; result: TokenResponse };
  /** Refresh an access token (the refresh token rotates). */
  "oauth.refreshToken": { params: RefreshToken; result: TokenResponse };
  /** Mint a location token from an agency token. */
  "oauth.locationToken": { params: GetLocationToken; result: TokenResponse };
  /** List the locations where an app is installed. */
  "oauth.installedLocations": { params: ListInstalledLocations; result: InstalledLocationsResponse };
  /** Copy one contact's tags onto another (merging duplicates): both contacts are read at once, then the missing tags are added */
  "tags.copy": { params: CopyTags; result: CopyTagsResult };
  /** A contact with its tasks, notes and appointments (each optional: include), all read at once */
  "contacts.getWithActivity": { params: GetWithActivity; result: WithActivity };
  /** A contact's notes, tasks and appointments as one list, newest first ({type, id, at, title, body, status}, at in RFC 3339 UTC; appointment times read in the calendar's time zone), all read at once; limit applies after merging */
  "activity.feed": { params: ActivityFeed; result: Feed };
  /** A tailored task set for one contact: each task's title and body filled from the contact, its due date an ISO 8601 duration after now or a contact date, created only when the contact meets its condition; the creates go out together */
  "tasks.createSet": { params: CreateTaskSet; result: TaskSetResult };
  /** A form lead or new host record, once per idempotency key: find or create the contact by email or phone, add tags, and optionally create tasks and a note; journaled in the state store so a rerun after a crash finishes the work without duplicates */
  "contacts.capture": { params: Capture; result: CaptureResult };
  /** Book a demo: the first free slot of a calendar from a start (default now) in a window, trying the next free slot when one was just taken, at most maxAttempts bookings */
  "appointments.book": { params: Book; result: Booked };
}

/** A catalog operation name, such as `"contacts.get"`. */
export type OperationName = keyof Operations;
/** The params object of operation `N`. */
export type OperationParams<N extends OperationName> = Operations[N]["params"];
/** The result of operation `N`. */
export type OperationResult<N extends OperationName> = Operations[N]["result"];
/** The operations that have pages (for `pages()`). */
export type PaginatedOperationName = "contacts.list" | "contacts.search" | "contacts.listByBusiness" | "tasks.search" | "businesses.list" | "users.search" | "relations.list" | "associations.list" | "oauth.installedLocations";

/** `client.contacts`: contacts.get, contacts.create, contacts.update, contacts.delete, contacts.upsert, contacts.list, contacts.search, contacts.findDuplicate, contacts.listByBusiness, contacts.bulkBusiness, contacts.getWithActivity, contacts.capture. */
export interface ContactsGroup {
  /**
   * Get a contact by id.
   *
   * `GET /contacts/{contactId}` (scope `contacts.readonly`)
   */
  get(params: GetContact, options?: CallOptions): Promise<ContactResponse>;
  /**
   * Create a contact.
   *
   * `POST /contacts/` (scope `contacts.write`)
   */
  create(params: CreateContact, options?: CallOptions): Promise<ContactResponse>;
  /**
   * Update a contact (tags given here replace all tags).
   *
   * `PUT /contacts/{contactId}` (scope `contacts.write`)
   */
  update(params: UpdateContact, options?: CallOptions): Promise<ContactResponse>;
  /**
   * Delete a contact.
   *
   * `DELETE /contacts/{contactId}` (scope `contacts.write`)
   */
  delete(params: DeleteContact, options?: CallOptions): Promise<SucceededResponse>;
  /**
   * Create or update a contact matched by email or phone.
   *
   * `POST /contacts/upsert` (scope `contacts.write`)
   */
  upsert(params: UpsertContact, options?: CallOptions): Promise<ContactResponse>;
  /**
   * List contacts of a location, oldest first (deprecated upstream; prefer contacts.search).
   *
   * `GET /contacts/` (scope `contacts.readonly`)
   * @deprecated upstream
   */
  list(params: ListContacts, options?: CallOptions): Promise<ContactListResponse>;
  /**
   * Search contacts with filters, sort and paging.
   *
   * `POST /contacts/search` (scope `contacts.readonly`)
   */
  search(params: SearchContacts, options?: CallOptions): Promise<ContactListResponse>;
  /**
   * Find the contact a new one with this email or phone would duplicate.
   *
   * `GET /contacts/search/duplicate` (scope `contacts.readonly`)
   */
  findDuplicate(params: FindDuplicateContact, options?: CallOptions): Promise<DuplicateResponse>;
  /**
   * List the contacts of a business.
   *
   * `GET /contacts/business/{businessId}` (scope `contacts.readonly`)
   */
  listByBusiness(params: ListContactsByBusiness, options?: CallOptions): Promise<ContactListResponse>;
  /**
   * Add contacts to a business, or remove them (businessId null).
   *
   * `POST /contacts/bulk/business` (scope `contacts.write`)
   */
  bulkBusiness(params: BulkUpdateBusiness, options?: CallOptions): Promise<BulkBusinessResponse>;
  /**
   * A contact with its tasks, notes and appointments (each optional: include), all read at once
   *
   * A composite action (scopes `contacts.readonly`)
   */
  getWithActivity(params: GetWithActivity, options?: CallOptions): Promise<WithActivity>;
  /**
   * A form lead or new host record, once per idempotency key: find or create the contact by email or phone, add tags, and optionally create tasks and a note; journaled in the state store so a rerun after a crash finishes the work without duplicates
   *
   * A composite action (scopes `contacts.readonly`, `contacts.write`)
   */
  capture(params: Capture, options?: CallOptions): Promise<CaptureResult>;
}

/** `client.search`: search.contacts, search.tasks, search.users. */
export interface SearchGroup {
  /**
   * Search contacts with filters, sort and paging.
   *
   * `POST /contacts/search` (scope `contacts.readonly`)
   */
  contacts(params: SearchContacts, options?: CallOptions): Promise<ContactListResponse>;
  /**
   * Search tasks across a location.
   *
   * `POST /locations/{locationId}/tasks/search` (scope `locations/tasks.readonly`)
   */
  tasks(params: SearchTasks, options?: CallOptions): Promise<TasksResponse>;
  /**
   * Search the users of an agency (needs companyId).
   *
   * `GET /users/search` (scope `users.readonly`)
   */
  users(params: SearchUsers, options?: CallOptions): Promise<UsersResponse>;
}

/** `client.tasks`: tasks.list, tasks.create, tasks.get, tasks.update, tasks.delete, tasks.complete, tasks.search, tasks.createSet. */
export interface TasksGroup {
  /**
   * List a contact's tasks.
   *
   * `GET /contacts/{contactId}/tasks` (scope `contacts.readonly`)
   */
  list(params: ListTasks, options?: CallOptions): Promise<TasksResponse>;
  /**
   * Create a task on a contact.
   *
   * `POST /contacts/{contactId}/tasks` (scope `contacts.write`)
   */
  create(params: CreateTask, options?: CallOptions): Promise<TaskResponse>;
  /**
   * Get a task.
   *
   * `GET /contacts/{contactId}/tasks/{taskId}` (scope `contacts.readonly`)
   */
  get(params: GetTask, options?: CallOptions): Promise<TaskResponse>;
  /**
   * Update a task.
   *
   * `PUT /contacts/{contactId}/tasks/{taskId}` (scope `contacts.write`)
   */
  update(params: UpdateTask, options?: CallOptions): Promise<TaskResponse>;
  /**
   * Delete a task.
   *
   * `DELETE /contacts/{contactId}/tasks/{taskId}` (scope `contacts.write`)
   */
  delete(params: DeleteTask, options?: CallOptions): Promise<SucceededResponse>;
  /**
   * Mark a task completed (or reopen it).
   *
   * `PUT /contacts/{contactId}/tasks/{taskId}/completed` (scope `contacts.write`)
   */
  complete(params: CompleteTask, options?: CallOptions): Promise<TaskResponse>;
  /**
   * Search tasks across a location.
   *
   * `POST /locations/{locationId}/tasks/search` (scope `locations/tasks.readonly`)
   */
  search(params: SearchTasks, options?: CallOptions): Promise<TasksResponse>;
  /**
   * A tailored task set for one contact: each task's title and body filled from the contact, its due date an ISO 8601 duration after now or a contact date, created only when the contact meets its condition; the creates go out together
   *
   * A composite action (scopes `contacts.readonly`, `contacts.write`)
   */
  createSet(params: CreateTaskSet, options?: CallOptions): Promise<TaskSetResult>;
}

/** `client.notes`: notes.list, notes.create, notes.get, notes.update, notes.delete. */
export interface NotesGroup {
  /**
   * List a contact's notes.
   *
   * `GET /contacts/{contactId}/notes` (scope `contacts.readonly`)
   */
  list(params: ListNotes, options?: CallOptions): Promise<NotesResponse>;
  /**
   * Add a note to a contact.
   *
   * `POST /contacts/{contactId}/notes` (scope `contacts.write`)
   */
  create(params: CreateNote, options?: CallOptions): Promise<NoteResponse>;
  /**
   * Get a note.
   *
   * `GET /contacts/{contactId}/notes/{id}` (scope `contacts.readonly`)
   */
  get(params: GetNote, options?: CallOptions): Promise<NoteResponse>;
  /**
   * Update a note.
   *
   * `PUT /contacts/{contactId}/notes/{id}` (scope `contacts.write`)
   */
  update(params: UpdateNote, options?: CallOptions): Promise<NoteResponse>;
  /**
   * Delete a note.
   *
   * `DELETE /contacts/{contactId}/notes/{id}` (scope `contacts.write`)
   */
  delete(params: DeleteNote, options?: CallOptions): Promise<SucceededResponse>;
}

/** `client.appointments`: appointments.list, appointments.create, appointments.get, appointments.update, appointments.cancel, appointments.delete, appointments.book. */
export interface AppointmentsGroup {
  /**
   * List a contact's appointments.
   *
   * `GET /contacts/{contactId}/appointments` (scope `contacts.readonly`)
   */
  list(params: ListAppointments, options?: CallOptions): Promise<AppointmentsResponse>;
  /**
   * Book an appointment (a free slot unless ignoreFreeSlotValidation).
   *
   * `POST /calendars/events/appointments` (scope `calendars/events.write`)
   */
  create(params: CreateAppointment, options?: CallOptions): Promise<Appointment>;
  /**
   * Get an appointment.
   *
   * `GET /calendars/events/appointments/{eventId}` (scope `calendars/events.readonly`)
   */
  get(params: GetAppointment, options?: CallOptions): Promise<CalendarEventResponse>;
  /**
   * Change an appointment (time, calendar, assignee, status).
   *
   * `PUT /calendars/events/appointments/{eventId}` (scope `calendars/events.write`)
   */
  update(params: UpdateAppointment, options?: CallOptions): Promise<Appointment>;
  /**
   * Cancel an appointment (sets appointmentStatus to cancelled; it is not deleted).
   *
   * `PUT /calendars/events/appointments/{eventId}` (scope `calendars/events.write`)
   */
  cancel(params: CancelAppointment, options?: CallOptions): Promise<Appointment>;
  /**
   * Delete an appointment (see appointments.cancel to keep it).
   *
   * `DELETE /calendars/events/{eventId}` (scope `calendars/events.write`)
   */
  delete(params: DeleteAppointment, options?: CallOptions): Promise<SucceededResponse>;
  /**
   * Book a demo: the first free slot of a calendar from a start (default now) in a window, trying the next free slot when one was just taken, at most maxAttempts bookings
   *
   * A composite action (scopes `calendars.readonly`, `calendars/events.write`)
   */
  book(params: Book, options?: CallOptions): Promise<Booked>;
}

/** `client.calendars`: calendars.list, calendars.get, calendars.freeSlots, calendars.events. */
export interface CalendarsGroup {
  /**
   * List the calendars of a location.
   *
   * `GET /calendars/` (scope `calendars.readonly`)
   */
  list(params: ListCalendars, options?: CallOptions): Promise<CalendarsResponse>;
  /**
   * Get a calendar (open hours, slot duration, team).
   *
   * `GET /calendars/{calendarId}` (scope `calendars.readonly`)
   */
  get(params: GetCalendar, options?: CallOptions): Promise<CalendarResponse>;
  /**
   * List a calendar's free slots in a date range (at most 31 days).
   *
   * `GET /calendars/{calendarId}/free-slots` (scope `calendars.readonly`)
   */
  freeSlots(params: FreeSlots, options?: CallOptions): Promise<FreeSlotsResponse>;
  /**
   * List calendar events in a range, by calendar, user or group.
   *
   * `GET /calendars/events` (scope `calendars/events.readonly`)
   */
  events(params: ListCalendarEvents, options?: CallOptions): Promise<CalendarEventsResponse>;
}

/** `client.appointmentNotes`: appointmentNotes.list, appointmentNotes.create, appointmentNotes.update, appointmentNotes.delete. */
export interface AppointmentNotesGroup {
  /**
   * List an appointment's notes.
   *
   * `GET /calendars/appointments/{appointmentId}/notes` (scope `calendars/events.readonly`)
   */
  list(params: ListAppointmentNotes, options?: CallOptions): Promise<AppointmentNotesResponse>;
  /**
   * Add a note to an appointment.
   *
   * `POST /calendars/appointments/{appointmentId}/notes` (scope `calendars/events.write`)
   */
  create(params: CreateAppointmentNote, options?: CallOptions): Promise<AppointmentNoteResponse>;
  /**
   * Change an appointment's note.
   *
   * `PUT /calendars/appointments/{appointmentId}/notes/{noteId}` (scope `calendars/events.write`)
   */
  update(params: UpdateAppointmentNote, options?: CallOptions): Promise<AppointmentNoteResponse>;
  /**
   * Delete an appointment's note.
   *
   * `DELETE /calendars/appointments/{appointmentId}/notes/{noteId}` (scope `calendars/events.write`)
   */
  delete(params: DeleteAppointmentNote, options?: CallOptions): Promise<SuccessResponse>;
}

/** `client.tags`: tags.add, tags.remove, tags.bulkUpdate, tags.copy. */
export interface TagsGroup {
  /**
   * Add tags to a contact.
   *
   * `POST /contacts/{contactId}/tags` (scope `contacts.write`)
   */
  add(params: AddTags, options?: CallOptions): Promise<TagsResponse>;
  /**
   * Remove tags from a contact.
   *
   * `DELETE /contacts/{contactId}/tags` (scope `contacts.write`)
   */
  remove(params: RemoveTags, options?: CallOptions): Promise<TagsResponse>;
  /**
   * Add or remove tags on many contacts at once.
   *
   * `POST /contacts/bulk/tags/update/{type}` (scope `contacts.write`)
   */
  bulkUpdate(params: BulkUpdateTags, options?: CallOptions): Promise<BulkTagsResponse>;
  /**
   * Copy one contact's tags onto another (merging duplicates): both contacts are read at once, then the missing tags are added
   *
   * A composite action (scopes `contacts.readonly`, `contacts.write`)
   */
  copy(params: CopyTags, options?: CallOptions): Promise<CopyTagsResult>;
}

/** `client.followers`: followers.add, followers.remove. */
export interface FollowersGroup {
  /**
   * Add followers to a contact.
   *
   * `POST /contacts/{contactId}/followers` (scope `contacts.write`)
   */
  add(params: AddFollowers, options?: CallOptions): Promise<FollowersResponse>;
  /**
   * Remove followers from a contact.
   *
   * `DELETE /contacts/{contactId}/followers` (scope `contacts.write`)
   */
  remove(params: RemoveFollowers, options?: CallOptions): Promise<FollowersResponse>;
}

/** `client.campaigns`: campaigns.add, campaigns.remove, campaigns.removeAll. */
export interface CampaignsGroup {
  /**
   * Add a contact to a campaign.
   *
   * `POST /contacts/{contactId}/campaigns/{campaignId}` (scope `contacts.write`)
   */
  add(params: AddToCampaign, options?: CallOptions): Promise<SucceededResponse>;
  /**
   * Remove a contact from a campaign.
   *
   * `DELETE /contacts/{contactId}/campaigns/{campaignId}` (scope `contacts.write`)
   */
  remove(params: RemoveFromCampaign, options?: CallOptions): Promise<SucceededResponse>;
  /**
   * Remove a contact from every campaign.
   *
   * `DELETE /contacts/{contactId}/campaigns/removeAll` (scope `contacts.write`)
   */
  removeAll(params: RemoveFromAllCampaigns, options?: CallOptions): Promise<SucceededResponse>;
}

/** `client.workflows`: workflows.add, workflows.remove. */
export interface WorkflowsGroup {
  /**
   * Enrol a contact in a workflow.
   *
   * `POST /contacts/{contactId}/workflow/{workflowId}` (scope `contacts.write`)
   */
  add(params: AddToWorkflow, options?: CallOptions): Promise<SucceededResponse>;
  /**
   * Remove a contact from a workflow.
   *
   * `DELETE /contacts/{contactId}/workflow/{workflowId}` (scope `contacts.write`)
   */
  remove(params: RemoveFromWorkflow, options?: CallOptions): Promise<SucceededResponse>;
}

/** `client.businesses`: businesses.list, businesses.get, businesses.create, businesses.update, businesses.delete. */
export interface BusinessesGroup {
  /**
   * List the businesses of a location.
   *
   * `GET /businesses/` (scope `businesses.readonly`)
   */
  list(params: ListBusinesses, options?: CallOptions): Promise<BusinessesResponse>;
  /**
   * Get a business.
   *
   * `GET /businesses/{businessId}` (scope `businesses.readonly`)
   */
  get(params: GetBusiness, options?: CallOptions): Promise<BusinessResponse>;
  /**
   * Create a business.
   *
   * `POST /businesses/` (scope `businesses.write`)
   */
  create(params: CreateBusiness, options?: CallOptions): Promise<BusinessResponse>;
  /**
   * Update a business.
   *
   * `PUT /businesses/{businessId}` (scope `businesses.write`)
   */
  update(params: UpdateBusiness, options?: CallOptions): Promise<BusinessResponse>;
  /**
   * Delete a business.
   *
   * `DELETE /businesses/{businessId}` (scope `businesses.write`)
   */
  delete(params: DeleteBusiness, options?: CallOptions): Promise<BusinessResponse>;
}

/** `client.locations`: locations.get. */
export interface LocationsGroup {
  /**
   * Get a location (sub-account): its name, address and time zone.
   *
   * `GET /locations/{locationId}` (scope `locations.readonly`)
   */
  get(params: GetLocation, options?: CallOptions): Promise<LocationResponse>;
}

/** `client.locationTags`: locationTags.list, locationTags.create, locationTags.get, locationTags.update, locationTags.delete. */
export interface LocationTagsGroup {
  /**
   * List the tags defined in a location.
   *
   * `GET /locations/{locationId}/tags` (scope `locations/tags.readonly`)
   */
  list(params: ListLocationTags, options?: CallOptions): Promise<LocationTagsResponse>;
  /**
   * Define a tag in a location.
   *
   * `POST /locations/{locationId}/tags` (scope `locations/tags.write`)
   */
  create(params: CreateLocationTag, options?: CallOptions): Promise<LocationTagResponse>;
  /**
   * Get a location tag.
   *
   * `GET /locations/{locationId}/tags/{tagId}` (scope `locations/tags.readonly`)
   */
  get(params: GetLocationTag, options?: CallOptions): Promise<LocationTagResponse>;
  /**
   * Rename a location tag.
   *
   * `PUT /locations/{locationId}/tags/{tagId}` (scope `locations/tags.write`)
   */
  update(params: UpdateLocationTag, options?: CallOptions): Promise<LocationTagResponse>;
  /**
   * Delete a location tag.
   *
   * `DELETE /locations/{locationId}/tags/{tagId}` (scope `locations/tags.write`)
   */
  delete(params: DeleteLocationTag, options?: CallOptions): Promise<LocationTagResponse>;
}

/** `client.locationCustomFields`: locationCustomFields.list, locationCustomFields.get, locationCustomFields.create, locationCustomFields.update, locationCustomFields.delete. */
export interface LocationCustomFieldsGroup {
  /**
   * List the custom fields defined in a location.
   *
   * `GET /locations/{locationId}/customFields` (scope `locations/customFields.readonly`)
   */
  list(params: ListCustomFields, options?: CallOptions): Promise<CustomFieldsResponse>;
  /**
   * Get a contact custom field of a location (fieldKey, dataType, options).
   *
   * `GET /locations/{locationId}/customFields/{id}` (scope `locations/customFields.readonly`)
   */
  get(params: GetLocationCustomField, options?: CallOptions): Promise<CustomFieldResponse>;
  /**
   * Define a contact custom field in a location.
   *
   * `POST /locations/{locationId}/customFields` (scope `locations/customFields.write`)
   */
  create(params: CreateLocationCustomField, options?: CallOptions): Promise<CustomFieldResponse>;
  /**
   * Change a contact custom field of a location.
   *
   * `PUT /locations/{locationId}/customFields/{id}` (scope `locations/customFields.write`)
   */
  update(params: UpdateLocationCustomField, options?: CallOptions): Promise<CustomFieldResponse>;
  /**
   * Delete a contact custom field of a location (its values go with it).
   *
   * `DELETE /locations/{locationId}/customFields/{id}` (scope `locations/customFields.write`)
   */
  delete(params: DeleteLocationCustomField, options?: CallOptions): Promise<SucceededResponse>;
}

/** `client.customFields`: customFields.list, customFields.v2.list, customFields.v2.get, customFields.v2.create, customFields.v2.update, customFields.v2.delete. */
export interface CustomFieldsGroup {
  /**
   * List the custom fields defined in a location.
   *
   * The former name of `locationCustomFields.list`.
   *
   * `GET /locations/{locationId}/customFields` (scope `locations/customFields.readonly`)
   */
  list(params: ListCustomFields, options?: CallOptions): Promise<CustomFieldsResponse>;
  readonly v2: {
    /**
     * List the custom fields (and folders) of a custom object or of companies.
     *
     * `GET /custom-fields/object-key/{objectKey}` (scope `locations/customFields.readonly`)
     */
    list(params: ListObjectCustomFields, options?: CallOptions): Promise<ObjectCustomFieldsResponse>;
    /**
     * Get a custom field of a custom object or of companies.
     *
     * `GET /custom-fields/{id}` (scope `locations/customFields.readonly`)
     */
    get(params: GetObjectCustomField, options?: CallOptions): Promise<ObjectCustomFieldResponse>;
    /**
     * Define a custom field of a custom object or of companies.
     *
     * `POST /custom-fields/` (scope `locations/customFields.write`)
     */
    create(params: CreateObjectCustomField, options?: CallOptions): Promise<ObjectCustomFieldResponse>;
    /**
     * Change a custom field of a custom object or of companies.
     *
     * `PUT /custom-fields/{id}` (scope `locations/customFields.write`)
     */
    update(params: UpdateObjectCustomField, options?: CallOptions): Promise<ObjectCustomFieldResponse>;
    /**
     * Delete a custom field of a custom object or of companies.
     *
     * `DELETE /custom-fields/{id}` (scope `locations/customFields.write`)
     */
    delete(params: DeleteObjectCustomField, options?: CallOptions): Promise<DeletedFieldResponse>;
  };
}

/** `client.customValues`: customValues.list, customValues.get, customValues.create, customValues.update, customValues.delete. */
export interface CustomValuesGroup {
  /**
   * List a location's custom values.
   *
   * `GET /locations/{locationId}/customValues` (scope `locations/customValues.readonly`)
   */
  list(params: ListCustomValues, options?: CallOptions): Promise<CustomValuesResponse>;
  /**
   * Get a custom value of a location.
   *
   * `GET /locations/{locationId}/customValues/{id}` (scope `locations/customValues.readonly`)
   */
  get(params: GetCustomValue, options?: CallOptions): Promise<CustomValueResponse>;
  /**
   * Create a custom value in a location.
   *
   * `POST /locations/{locationId}/customValues` (scope `locations/customValues.write`)
   */
  create(params: CreateCustomValue, options?: CallOptions): Promise<CustomValueResponse>;
  /**
   * Change a custom value of a location.
   *
   * `PUT /locations/{locationId}/customValues/{id}` (scope `locations/customValues.write`)
   */
  update(params: UpdateCustomValue, options?: CallOptions): Promise<CustomValueResponse>;
  /**
   * Delete a custom value of a location.
   *
   * `DELETE /locations/{locationId}/customValues/{id}` (scope `locations/customValues.write`)
   */
  delete(params: DeleteCustomValue, options?: CallOptions): Promise<SucceededResponse>;
}

/** `client.users`: users.list, users.search, users.get, users.filterByEmail. */
export interface UsersGroup {
  /**
   * List the users of a location (a location token).
   *
   * `GET /users/` (scope `users.readonly`)
   */
  list(params: ListUsers, options?: CallOptions): Promise<UsersResponse>;
  /**
   * Search the users of an agency (needs companyId).
   *
   * `GET /users/search` (scope `users.readonly`)
   */
  search(params: SearchUsers, options?: CallOptions): Promise<UsersResponse>;
  /**
   * Get a user.
   *
   * `GET /users/{userId}` (scope `users.readonly`)
   */
  get(params: GetUser, options?: CallOptions): Promise<User>;
  /**
   * Find an agency's users by email (an agency token).
   *
   * `POST /users/search/filter-by-email` (scope `users.readonly`)
   */
  filterByEmail(params: FilterUsersByEmail, options?: CallOptions): Promise<UsersResponse>;
}

/** `client.relations`: relations.create, relations.list, relations.delete. */
export interface RelationsGroup {
  /**
   * Link two records by an association.
   *
   * `POST /associations/relations` (scope `associations/relation.write`)
   */
  create(params: CreateRelation, options?: CallOptions): Promise<Relation>;
  /**
   * List a record's relations.
   *
   * `GET /associations/relations/{recordId}` (scope `associations/relation.readonly`)
   */
  list(params: ListRelations, options?: CallOptions): Promise<RelationsResponse>;
  /**
   * Remove a relation (unlink two records).
   *
   * `DELETE /associations/relations/{relationId}` (scope `associations/relation.write`)
   */
  delete(params: DeleteRelation, options?: CallOptions): Promise<Relation>;
}

/** `client.associations`: associations.list, associations.get. */
export interface AssociationsGroup {
  /**
   * List a location's associations (kinds of link between records).
   *
   * `GET /associations/` (scope `associations.readonly`)
   */
  list(params: ListAssociations, options?: CallOptions): Promise<AssociationsResponse>;
  /**
   * Get an association.
   *
   * `GET /associations/{associationId}` (scope `associations.readonly`)
   */
  get(params: GetAssociation, options?: CallOptions): Promise<Association>;
}

/** `client.oauth`: oauth.exchangeCode, oauth.refreshToken, oauth.locationToken, oauth.installedLocations. */
export interface OauthGroup {
  /**
   * Exchange an authorization code for tokens.
   *
   * `POST /oauth/token`
   */
  exchangeCode(params: ExchangeCode, options?: CallOptions): Promise<TokenResponse>;
  /**
   * Refresh an access token (the refresh token rotates).
   *
   * `POST /oauth/token`
   */
  refreshToken(params: RefreshToken, options?: CallOptions): Promise<TokenResponse>;
  /**
   * Mint a location token from an agency token.
   *
   * `POST /oauth/locationToken` (scope `oauth.write`)
   */
  locationToken(params: GetLocationToken, options?: CallOptions): Promise<TokenResponse>;
  /**
   * List the locations where an app is installed.
   *
   * `GET /oauth/installedLocations` (scope `oauth.readonly`)
   */
  installedLocations(params: ListInstalledLocations, options?: CallOptions): Promise<InstalledLocationsResponse>;
}

/** `client.activity`: activity.feed. */
export interface ActivityGroup {
  /**
   * A contact's notes, tasks and appointments as one list, newest first ({type, id, at, title, body, status}, at in RFC 3339 UTC; appointment times read in the calendar's time zone), all read at once; limit applies after merging
   *
   * A composite action (scopes `contacts.readonly`, `locations.readonly`)
   */
  feed(params: ActivityFeed, options?: CallOptions): Promise<Feed>;
}

/** The groups a `ContactsClient` has, by property name. */
export interface ContactsClientGroups {
  readonly contacts: ContactsGroup;
  readonly search: SearchGroup;
  readonly tasks: TasksGroup;
  readonly notes: NotesGroup;
  readonly appointments: AppointmentsGroup;
  readonly calendars: CalendarsGroup;
  readonly appointmentNotes: AppointmentNotesGroup;
  readonly tags: TagsGroup;
  readonly followers: FollowersGroup;
  readonly campaigns: CampaignsGroup;
  readonly workflows: WorkflowsGroup;
  readonly businesses: BusinessesGroup;
  readonly locations: LocationsGroup;
  readonly locationTags: LocationTagsGroup;
  readonly locationCustomFields: LocationCustomFieldsGroup;
  readonly customFields: CustomFieldsGroup;
  readonly customValues: CustomValuesGroup;
  readonly users: UsersGroup;
  readonly relations: RelationsGroup;
  readonly associations: AssociationsGroup;
  readonly oauth: OauthGroup;
  readonly activity: ActivityGroup;
}

/** A verified webhook event: its payload with `type` and `dedupeId`. Unknown types are kept whole. */
export type WebhookEvent =
  | (ContactEvent & { type: "ContactCreate" | "ContactUpdate" | "ContactDelete" | "ContactTagUpdate" | "ContactDndUpdate"; dedupeId: string })
  | (NoteEvent & { type: "NoteCreate" | "NoteUpdate" | "NoteDelete"; dedupeId: string })
  | (TaskEvent & { type: "TaskCreate" | "TaskComplete" | "TaskDelete"; dedupeId: string })
  | (AppointmentEvent & { type: "AppointmentCreate" | "AppointmentUpdate" | "AppointmentDelete"; dedupeId: string })
  | (OpportunityEvent & { type: "OpportunityCreate" | "OpportunityUpdate" | "OpportunityDelete" | "OpportunityStageUpdate" | "OpportunityStatusUpdate" | "OpportunityAssignedToUpdate" | "OpportunityMonetaryValueUpdate"; dedupeId: string })
  | (MessageEvent & { type: "InboundMessage" | "OutboundMessage"; dedupeId: string })
  | (ConversationUnreadEvent & { type: "ConversationUnreadUpdate"; dedupeId: string })
  | (AssociationEvent & { type: "AssociationCreate" | "AssociationUpdate" | "AssociationDelete"; dedupeId: string })
  | (RelationEvent & { type: "RelationCreate" | "RelationDelete"; dedupeId: string })
  | (CampaignStatusEvent & { type: "CampaignStatusUpdate"; dedupeId: string })
  | (LocationEvent & { type: "LocationCreate" | "LocationUpdate"; dedupeId: string })
  | (UserEvent & { type: "UserCreate"; dedupeId: string })
  | (InstallEvent & { type: "INSTALL"; dedupeId: string })
  | (UninstallEvent & { type: "UNINSTALL"; dedupeId: string })
  | { type: string; dedupeId: string; [key: string]: unknown };

/** A polled event: the webhook payload of the same change, with `type` and the same `dedupeId`. */
export type PolledEvent =
  | (ContactEvent & { type: "ContactCreate" | "ContactUpdate" | "ContactDelete" | "ContactTagUpdate"; dedupeId: string })
  | (NoteEvent & { type: "NoteCreate" | "NoteUpdate"; dedupeId: string })
  | (TaskEvent & { type: "TaskCreate" | "TaskComplete" | "TaskOverdue"; dedupeId: string })
  | (AppointmentEvent & { type: "AppointmentCreate" | "AppointmentUpdate"; dedupeId: string });

/** The name of every webhook trigger. */
export type WebhookEventType = "ContactCreate" | "ContactUpdate" | "ContactDelete" | "ContactTagUpdate" | "ContactDndUpdate" | "NoteCreate" | "NoteUpdate" | "NoteDelete" | "TaskCreate" | "TaskComplete" | "TaskDelete" | "AppointmentCreate" | "AppointmentUpdate" | "AppointmentDelete" | "OpportunityCreate" | "OpportunityUpdate" | "OpportunityDelete" | "OpportunityStageUpdate" | "OpportunityStatusUpdate" | "OpportunityAssignedToUpdate" | "OpportunityMonetaryValueUpdate" | "InboundMessage" | "OutboundMessage" | "ConversationUnreadUpdate" | "AssociationCreate" | "AssociationUpdate" | "AssociationDelete" | "RelationCreate" | "RelationDelete" | "CampaignStatusUpdate" | "LocationCreate" | "LocationUpdate" | "UserCreate" | "INSTALL" | "UNINSTALL";

/** The name of every trigger a poll reports. */
export type PolledTriggerType = "ContactCreate" | "ContactUpdate" | "ContactDelete" | "ContactTagUpdate" | "NoteCreate" | "NoteUpdate" | "TaskCreate" | "TaskComplete" | "AppointmentCreate" | "AppointmentUpdate" | "TaskOverdue";

/** The stable codes of `ContactsError`. */
export type ContactsErrorCode = "INVALID_ARGUMENT" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "VALIDATION" | "RATE_LIMITED" | "SERVER" | "UNEXPECTED_STATUS" | "DECODE" | "WEBHOOK_SIGNATURE" | "WEBHOOK_REPLAY" | "TRANSPORT" | "TIMEOUT" | "CANCELLED" | "TOKEN_STORE" | "STATE" | "FLEET_UNAVAILABLE" | "REAUTH_REQUIRED" | "HOST";

/** A comparison operator of the condition language. */
export type ConditionOperator = "eq" | "ne" | "in" | "contains" | "exists" | "gt" | "gte" | "lt" | "lte" | "matches";

/** A filter of the template language (`{{path | filter}}`). */
export type TemplateFilter = "lower" | "upper" | "trim" | "first" | "json" | "after";
