/* Generated from core/catalog.json by wasm/js/scripts/gen-types.mjs. Do not edit. */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

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

/** `{events}`: a contact's appointments. */
export interface AppointmentsResponse {
  /** The appointments. */
  events?: Appointment[];
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
  /** Upsert only: whether a new contact was created. */
  new?: boolean | null;
  /** Update only: whether it succeeded. */
  succeeded?: boolean | null;
  /** The request's trace id. */
  traceId?: string | null;
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
  /** Custom field values. */
  customFields?: CustomFieldInput[] | null;
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

/** A custom field value on a contact, as the API returns it: `{id, value}`. */
export interface CustomFieldValue {
  /** The custom field id. */
  id?: string | null;
  /** A string, number, list of strings or file map, by field type. */
  value?: JsonValue;
  [key: string]: unknown;
}

/** `{customFields}`. */
export interface CustomFieldsResponse {
  /** The definitions. */
  customFields?: CustomFieldDefinition[];
  [key: string]: unknown;
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

/** `DELETE /contacts/{contactId}/tasks/{taskId}`. */
export interface DeleteTask {
  /** The contact. */
  contactId: string;
  /** The task. */
  taskId: string;
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

/** `GET /contacts/search/duplicate`. */
export interface FindDuplicateContact {
  /** Email to match. */
  email?: string | null;
  /** The location. */
  locationId: string;
  /** Phone number to match (sent percent-encoded, so `+` survives). */
  number?: string | null;
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

/** `GET /businesses/{businessId}`. */
export interface GetBusiness {
  /** The business. */
  businessId: string;
}

/** `GET /contacts/{contactId}`. */
export interface GetContact {
  /** The contact id. */
  contactId: string;
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

/** `GET /contacts/{contactId}/tasks/{taskId}`. */
export interface GetTask {
  /** The contact. */
  contactId: string;
  /** The task. */
  taskId: string;
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

/** `GET /contacts/{contactId}/appointments`. */
export interface ListAppointments {
  /** The contact. */
  contactId: string;
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

/** `GET /contacts/{contactId}/tasks`. */
export interface ListTasks {
  /** The contact. */
  contactId: string;
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

/** `{succeded}` (sic) from deletes, campaigns and workflows. */
export interface SucceededResponse {
  /** Whether it succeeded. */
  succeeded?: boolean | null;
  [key: string]: unknown;
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
  /** Custom field values. */
  customFields?: CustomFieldInput[] | null;
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
  /** Custom field values. */
  customFields?: CustomFieldInput[] | null;
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

/** Whose token an OAuth token is (`userType` in the token response). */
export type UserType = "Location" | "Company";

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
  "customFields.list": { params: ListCustomFields; result: CustomFieldsResponse };
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
}

/** A catalog operation name, such as `"contacts.get"`. */
export type OperationName = keyof Operations;
/** The params object of operation `N`. */
export type OperationParams<N extends OperationName> = Operations[N]["params"];
/** The result of operation `N`. */
export type OperationResult<N extends OperationName> = Operations[N]["result"];
/** The operations that have pages (for `pages()`). */
export type PaginatedOperationName = "contacts.list" | "contacts.search" | "contacts.listByBusiness" | "tasks.search" | "businesses.list" | "oauth.installedLocations";

/** `client.contacts`: contacts.get, contacts.create, contacts.update, contacts.delete, contacts.upsert, contacts.list, contacts.search, contacts.findDuplicate, contacts.listByBusiness, contacts.bulkBusiness. */
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
}

/** `client.search`: contacts.search, tasks.search. */
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
}

/** `client.tasks`: tasks.list, tasks.create, tasks.get, tasks.update, tasks.delete, tasks.complete, tasks.search. */
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

/** `client.appointments`: appointments.list. */
export interface AppointmentsGroup {
  /**
   * List a contact's appointments.
   *
   * `GET /contacts/{contactId}/appointments` (scope `contacts.readonly`)
   */
  list(params: ListAppointments, options?: CallOptions): Promise<AppointmentsResponse>;
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

/** `client.customFields`: customFields.list. */
export interface CustomFieldsGroup {
  /**
   * List the custom fields defined in a location.
   *
   * `GET /locations/{locationId}/customFields` (scope `locations/customFields.readonly`)
   */
  list(params: ListCustomFields, options?: CallOptions): Promise<CustomFieldsResponse>;
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

/** The groups a `ContactsClient` has, by property name. */
export interface ContactsClientGroups {
  readonly contacts: ContactsGroup;
  readonly search: SearchGroup;
  readonly tasks: TasksGroup;
  readonly notes: NotesGroup;
  readonly appointments: AppointmentsGroup;
  readonly tags: TagsGroup;
  readonly followers: FollowersGroup;
  readonly campaigns: CampaignsGroup;
  readonly workflows: WorkflowsGroup;
  readonly businesses: BusinessesGroup;
  readonly locationTags: LocationTagsGroup;
  readonly customFields: CustomFieldsGroup;
  readonly oauth: OauthGroup;
}

/** A verified webhook event: its payload with `type`. Unknown types are kept whole. */
export type WebhookEvent =
  | (ContactEvent & { type: "ContactCreate" | "ContactUpdate" | "ContactDelete" | "ContactTagUpdate" | "ContactDndUpdate" })
  | (NoteEvent & { type: "NoteCreate" | "NoteUpdate" | "NoteDelete" })
  | (TaskEvent & { type: "TaskCreate" | "TaskComplete" | "TaskDelete" })
  | (AppointmentEvent & { type: "AppointmentCreate" | "AppointmentUpdate" | "AppointmentDelete" })
  | (InstallEvent & { type: "INSTALL" })
  | (UninstallEvent & { type: "UNINSTALL" })
  | { type: string; [key: string]: unknown };

/** The name of every webhook trigger. */
export type WebhookEventType = "ContactCreate" | "ContactUpdate" | "ContactDelete" | "ContactTagUpdate" | "ContactDndUpdate" | "NoteCreate" | "NoteUpdate" | "NoteDelete" | "TaskCreate" | "TaskComplete" | "TaskDelete" | "AppointmentCreate" | "AppointmentUpdate" | "AppointmentDelete" | "INSTALL" | "UNINSTALL";

/** The stable codes of `ContactsError`. */
export type ContactsErrorCode = "INVALID_ARGUMENT" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "VALIDATION" | "RATE_LIMITED" | "SERVER" | "UNEXPECTED_STATUS" | "DECODE" | "WEBHOOK_SIGNATURE" | "WEBHOOK_REPLAY" | "TRANSPORT" | "TIMEOUT" | "CANCELLED" | "TOKEN_STORE";
