// A thin Swift wrapper over libsynap's C API (the CSynap module).
//
// libsynap keeps a failure's details per thread. Every call here reads
// them right after the C call that failed, on the same thread, with no
// `await` and no other libsynap call in between.
//
// tests/c/test_swift_calls.c makes the same C calls in the same order, and
// tests/swift_calls.rs checks that it covers every C function used here.

import CSynap
import Foundation

/// A failed libsynap call.
public struct SynapError: Error, CustomStringConvertible {
    /// The result codes (SynapCode in synap.h), with the same values.
    public enum Code: Int {
        /// Refused before any request: a malformed id or URL, a zero
        /// timeout, a value out of range.
        case invalidArgument = 1
        /// HTTP 401 or 403, or no API key at all.
        case auth = 2
        /// HTTP 404: the id is unknown, or outside the key's scope.
        case notFound = 3
        /// HTTP 400, 422 or another 4xx refusing the request as invalid.
        case invalidRequest = 4
        /// HTTP 402, or a 429 saying credits or the trial ran out.
        case insufficientCredits = 5
        /// HTTP 409, e.g. a document id sent before.
        case conflict = 6
        /// HTTP 429, a plain rate limit; see `retryAfter`.
        case rateLimited = 7
        /// HTTP 5xx.
        case server = 8
        /// The connect or request timeout, the deadline or a wait's timeout
        /// passed, or HTTP 408.
        case timeout = 9
        /// The host could not be resolved or reached, or the connection broke.
        case network = 10
        /// The TLS handshake failed or the server's certificate was refused.
        case tls = 11
        /// The server's answer was not valid (malformed, over the body cap,
        /// a redirect).
        case protocolError = 12
        /// A Cancel was triggered or a progress closure returned false.
        case cancelled = 13
        /// A bug in libsynap, caught at the API boundary.
        case internalError = 14
        /// A local file could not be opened or read, or changed size while
        /// it was sent (an upload's source); the message names the file
        /// and the reason. Nothing was sent complete.
        case file = 15
    }

    /// What kind of failure it is; a code this version does not know is
    /// `.internalError`, as synap.h asks.
    public let code: Code
    /// The C name of the code, e.g. "SYNAP_NOT_FOUND".
    public let codeName: String
    /// One line naming the problem; never contains the API key.
    public let message: String
    /// The HTTP status of the server's answer; 0 if there was none.
    public let httpStatus: Int
    /// The request's X-Correlation-ID, to quote to the service.
    public let correlationId: String?
    /// How long the server asked to wait before trying again, in seconds.
    public let retryAfter: TimeInterval?

    /// "SYNAP_<CODE>: message (correlation id ...)".
    public var description: String {
        "\(codeName): \(message)" + (correlationId.map { " (correlation id \($0))" } ?? "")
    }

    /// The calling thread's last failure, which returned `code`.
    static func last(_ code: SynapCode) -> SynapError {
        let message = synap_last_error_message().map { String(cString: $0) } ?? ""
        let httpStatus = Int(synap_last_error_http_status())
        let correlationId = synap_last_error_correlation_id().map { String(cString: $0) }
        let retryAfterMs = synap_last_error_retry_after_ms()
        return SynapError(
            code: Code(rawValue: Int(code.rawValue)) ?? .internalError,
            codeName: String(cString: synap_code_name(Int32(code.rawValue))),
            message: message,
            httpStatus: httpStatus,
            correlationId: correlationId,
            retryAfter: retryAfterMs >= 0 ? TimeInterval(retryAfterMs) / 1000 : nil)
    }
}

extension SynapError {
    /// A failure known only by its code and message, as wait-all reports
    /// each job's: no HTTP status, correlation id or Retry-After.
    init(_ code: SynapCode, message: String) {
        self.init(code: Code(rawValue: Int(code.rawValue)) ?? .internalError,
                  codeName: String(cString: synap_code_name(Int32(code.rawValue))),
                  message: message, httpStatus: 0, correlationId: nil, retryAfter: nil)
    }

    /// What a constructor returning NULL means.
    static var outOfMemory: SynapError {
        SynapError(code: .internalError, codeName: "SYNAP_INTERNAL", message: "out of memory",
                   httpStatus: 0, correlationId: nil, retryAfter: nil)
    }

    /// An argument this wrapper refuses itself, before any C call sees it.
    static func refused(_ message: String) -> SynapError {
        SynapError(code: .invalidArgument, codeName: "SYNAP_INVALID_ARGUMENT", message: message,
                   httpStatus: 0, correlationId: nil, retryAfter: nil)
    }
}

/// Throws the calling thread's last error if `code` is a failure.
@inline(__always)
private func check(_ code: SynapCode) throws {
    if code != SYNAP_OK {
        throw SynapError.last(code)
    }
}

/// `value`, checked before it is passed to C as a `const char *`. C reads
/// a string up to its first NUL byte, so a String holding one would reach
/// libsynap cut short (a valid id followed by a tail, say, read as the id):
/// it throws `.invalidArgument` naming `name` instead. Every String this
/// wrapper passes to C goes through here.
private func cText(_ value: String, _ name: String) throws -> String {
    if value.utf8.contains(0) {
        throw SynapError.refused("\(name) contains a NUL byte")
    }
    return value
}

/// Runs `body` with `value` as a C string, or with NULL for nil; the
/// pointer is valid until `body` returns.
private func withOptionalCString<Result>(_ value: String?,
                                         _ body: (UnsafePointer<CChar>?) throws -> Result) rethrows -> Result {
    guard let value = value else {
        return try body(nil)
    }
    return try value.withCString { try body($0) }
}

/// A string libsynap lends, copied; nil for NULL, which means absent.
private func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
}

/// A list of strings libsynap lends, copied: `count` of them, read with
/// `at`, in order.
private func strings(_ count: Int, _ at: (Int) -> UnsafePointer<CChar>?) -> [String] {
    (0..<count).compactMap { optionalString(at($0)) }
}

/// Seconds as the C API's milliseconds: rounded up, within UInt32.
private func milliseconds(_ seconds: TimeInterval) -> UInt32 {
    UInt32(max(0, min(Double(UInt32.max), (seconds * 1000).rounded(.up))))
}

private func date(_ us: Int64) -> Date {
    Date(timeIntervalSince1970: TimeInterval(us) / 1_000_000)
}

/// A Date as the C API's Unix microseconds; one no Int64 can hold becomes
/// Int64.max, which libsynap refuses as out of range rather than trapping.
private func microseconds(_ date: Date) -> Int64 {
    Int64(exactly: (date.timeIntervalSince1970 * 1_000_000).rounded()) ?? .max
}

/// Settings for a Client; nil (or false) leaves libsynap's default.
public struct ClientOptions {
    /// The service's base URL, e.g. "http://127.0.0.1:8787"; nil reads
    /// SYNAP_BASE_URL, else the production service.
    public var baseURL: String?
    /// How long opening a connection (TCP and TLS handshake) may take, in
    /// seconds; more than 0. Default 5.
    public var connectTimeout: TimeInterval?
    /// How long one attempt of a request may take, from connecting to the
    /// last byte of the answer, in seconds; more than 0. Default 30.
    public var requestTimeout: TimeInterval?
    /// The largest response body accepted, in bytes; more than 0. Default
    /// 16 MiB. A longer body throws `.protocolError`.
    public var maxBodyBytes: UInt64?
    /// The most one call may take, every attempt and backoff included, in
    /// seconds. Default: no overall deadline.
    public var deadline: TimeInterval?
    /// How many attempts a call makes at most, the first included (1 to
    /// 100). Default 3.
    public var maxAttempts: UInt32?
    /// The backoff between attempts, in seconds: after failed attempt n a
    /// call waits `min(base * 2^(n-1), cap)` plus some jitter, at most `cap`;
    /// `cap` must be at least `base`. Default 1 and 10.
    public var retryBackoff: (base: TimeInterval, cap: TimeInterval)?
    /// The proxy URL, `http://[user:password@]host:port`; "" for none. nil
    /// reads the environment (`https_proxy`, `no_proxy` and the others).
    public var proxy: String?
    /// A PEM file of CAs to trust instead of the bundled Mozilla roots.
    public var caFile: String?
    /// Whether to trust the operating system's root certificates instead
    /// of the bundled Mozilla roots (with `caFile` too, both are trusted).
    /// Default false.
    public var systemRoots: Bool
    /// Whether a plain `http://` base URL to a host that is not loopback is
    /// allowed: the API key would cross the network unencrypted. Default
    /// false; loopback hosts are always allowed.
    public var allowInsecureHTTP: Bool

    /// Options with the given settings; the rest keep libsynap's defaults.
    public init(baseURL: String? = nil, connectTimeout: TimeInterval? = nil, requestTimeout: TimeInterval? = nil,
                maxBodyBytes: UInt64? = nil, deadline: TimeInterval? = nil, maxAttempts: UInt32? = nil,
                retryBackoff: (base: TimeInterval, cap: TimeInterval)? = nil, proxy: String? = nil,
                caFile: String? = nil, systemRoots: Bool = false, allowInsecureHTTP: Bool = false) {
        self.baseURL = baseURL
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxBodyBytes = maxBodyBytes
        self.deadline = deadline
        self.maxAttempts = maxAttempts
        self.retryBackoff = retryBackoff
        self.proxy = proxy
        self.caFile = caFile
        self.systemRoots = systemRoots
        self.allowInsecureHTTP = allowInsecureHTTP
    }
}

/// An ingestion job's state (SynapIngestState in synap.h, with the same
/// values).
public enum IngestState: Int {
    /// A state this version does not know; `MemoryStatus.state` has it as
    /// sent.
    case unknown = 0
    /// "queued": accepted, not yet picked up.
    case queued = 1
    /// "processing": in the pipeline.
    case processing = 2
    /// "completed": every stage succeeded. Terminal.
    case completed = 3
    /// "failed": processing failed; see `MemoryStatus.errorMessage`. Terminal.
    case failed = 4
    /// "partial_success": some extractions failed; see
    /// `MemoryStatus.errorMessage`. Terminal.
    case partialSuccess = 5
}

/// One ingestion job's status, copied out of libsynap.
public struct MemoryStatus {
    /// The job's id, a canonical lowercase UUID.
    public let ingestionId: String
    /// The id of the document the job ingests.
    public let documentId: String
    /// The state exactly as sent: "queued", "processing", "completed",
    /// "failed", "partial_success", or one this version does not know.
    public let state: String
    /// The state as a value; `.unknown` for one this version does not know.
    public let ingestState: IngestState
    /// Whether the job will not change any more.
    public let isTerminal: Bool
    /// When the job was queued.
    public let queuedAt: Date
    /// When processing started; nil while queued.
    public let startedAt: Date?
    /// When processing finished; nil while in progress.
    public let completedAt: Date?
    /// How many memories the job has produced so far.
    public let memoriesCreated: UInt64
    /// The memories' ids, in the service's order.
    public let memoryIds: [String]
    /// What went wrong, for a failed or partially successful job.
    public let errorMessage: String?

    /// Copies a C status; the caller still owns it.
    init(_ status: OpaquePointer) {
        ingestionId = String(cString: synap_status_ingestion_id(status))
        documentId = String(cString: synap_status_document_id(status))
        state = String(cString: synap_status_state_name(status))
        ingestState = IngestState(rawValue: Int(synap_status_state(status).rawValue)) ?? .unknown
        isTerminal = synap_status_is_terminal(status)
        queuedAt = date(synap_status_queued_at_us(status))
        var us: Int64 = 0
        startedAt = synap_status_started_at_us(status, &us) ? date(us) : nil
        completedAt = synap_status_completed_at_us(status, &us) ? date(us) : nil
        memoriesCreated = synap_status_memories_created(status)
        memoryIds = (0..<synap_status_memory_id_count(status)).map {
            String(cString: synap_status_memory_id(status, $0))
        }
        errorMessage = synap_status_error_message(status).map { String(cString: $0) }
    }
}

/// One document to ingest and how to file it, for Client.create and
/// Client.batchCreate. Only the document is required; nil leaves the
/// service's default. libsynap checks each value before any request.
public struct CreateRequest {
    /// What to ingest.
    public enum Document {
        /// Plain text: a conversation, an email body, a transcript.
        case text(String)
        /// A JSON object given as text, e.g. `{"subject": "Renewal", "body": "..."}`.
        case json(String)
    }

    /// The document itself.
    public var document: Document
    /// "ai-chat-conversation" (the default), "document", "email", "pdf",
    /// "image", "audio" or "meeting-transcript"; any other value throws
    /// `.invalidArgument` before a request is sent.
    public var documentType: String?
    /// "long-range" (the default) or "fast".
    public var mode: String?
    /// Your id for the document. The service refuses it a second time
    /// (`.conflict`), which makes repeating an uncertain create safe.
    public var documentId: String?
    /// When the document was written; without it, when it was ingested.
    public var createdAt: Date?
    /// The end user the memories belong to.
    public var userId: String?
    /// The customer (organisation) the memories belong to; refused on a
    /// B2C instance once whoami() has reported it.
    public var customerId: String?
    /// Levels between customer and user, e.g. ["team": "payments"].
    public var scope: [String: String]
    /// Free-form metadata, a JSON object given as text, e.g. `{"channel": "web"}`.
    public var metadataJSON: String?

    /// A request for `document`; the rest keep the service's defaults.
    public init(document: Document, documentType: String? = nil, mode: String? = nil, documentId: String? = nil,
                createdAt: Date? = nil, userId: String? = nil, customerId: String? = nil,
                scope: [String: String] = [:], metadataJSON: String? = nil) {
        self.document = document
        self.documentType = documentType
        self.mode = mode
        self.documentId = documentId
        self.createdAt = createdAt
        self.userId = userId
        self.customerId = customerId
        self.scope = scope
        self.metadataJSON = metadataJSON
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let r = synap_create_request_new() else {
            throw SynapError.outOfMemory
        }
        do {
            switch document {
            case .text(let text):
                try check(synap_create_request_set_document_text(r, cText(text, "document")))
            case .json(let json):
                try check(synap_create_request_set_document_json(r, cText(json, "document")))
            }
            if let documentType = documentType {
                try check(synap_create_request_set_document_type(r, cText(documentType, "documentType")))
            }
            if let mode = mode {
                try check(synap_create_request_set_mode(r, cText(mode, "mode")))
            }
            if let id = documentId {
                try check(synap_create_request_set_document_id(r, cText(id, "documentId")))
            }
            if let at = createdAt {
                try check(synap_create_request_set_document_created_at_us(r, microseconds(at)))
            }
            if let id = userId {
                try check(synap_create_request_set_user_id(r, cText(id, "userId")))
            }
            if let id = customerId {
                try check(synap_create_request_set_customer_id(r, cText(id, "customerId")))
            }
            for (level, value) in scope {
                try check(synap_create_request_add_scope(r, cText(level, "scope level"),
                                                         cText(value, "scope[\(level)]")))
            }
            if let json = metadataJSON {
                try check(synap_create_request_set_metadata_json(r, cText(json, "metadataJSON")))
            }
        } catch {
            synap_create_request_free(r)
            throw error
        }
        return r
    }
}

/// A document the service took (or, in a batch, refused), copied out of
/// libsynap: the job to follow with Client.status or Client.wait.
public struct Ingestion {
    /// The job's id, a canonical lowercase UUID.
    public let ingestionId: String
    /// Your document id, or the one the service assigned.
    public let documentId: String
    /// The state exactly as sent: "queued" when accepted; "failed" for a
    /// batch item the service refused.
    public let state: String
    /// Whether the service queued the document; false only for a refused
    /// batch item, whose `errorMessage` says why.
    public let isAccepted: Bool
    /// When the job was queued.
    public let queuedAt: Date
    /// Why the service refused a batch item; nil when it was accepted.
    public let errorMessage: String?

    /// Copies a C ingestion; the caller (or its batch) still owns it.
    init(_ ingestion: OpaquePointer) {
        ingestionId = String(cString: synap_ingestion_id(ingestion))
        documentId = String(cString: synap_ingestion_document_id(ingestion))
        state = String(cString: synap_ingestion_state_name(ingestion))
        isAccepted = synap_ingestion_state(ingestion) != SYNAP_INGEST_FAILED
        queuedAt = date(synap_ingestion_queued_at_us(ingestion))
        errorMessage = synap_ingestion_error_message(ingestion).map { String(cString: $0) }
    }
}

/// The answer to Client.batchCreate, copied out of libsynap.
public struct Batch {
    /// The batch's id (a UUID).
    public let batchId: String
    /// How many documents were sent.
    public let total: UInt64
    /// How many the service queued.
    public let succeeded: UInt64
    /// How many it refused.
    public let failed: UInt64
    /// One per request, in the order sent; refused ones are not `isAccepted`.
    public let results: [Ingestion]

    /// Copies a C batch; the caller still owns it.
    init(_ batch: OpaquePointer) {
        batchId = String(cString: synap_batch_id(batch))
        var total: UInt64 = 0, succeeded: UInt64 = 0, failed: UInt64 = 0
        _ = synap_batch_counts(batch, &total, &succeeded, &failed)
        self.total = total
        self.succeeded = succeeded
        self.failed = failed
        results = (0..<synap_batch_result_count(batch)).map { Ingestion(synap_batch_result(batch, $0)) }
    }
}

/// One memory, copied out of libsynap.
public struct Memory {
    /// Its id, a canonical lowercase UUID.
    public let memoryId: String
    /// Its kind as sent: "fact", "preference", "episode", "emotion",
    /// "temporal_event", or one the service adds later.
    public let memoryType: String
    /// What was remembered.
    public let content: String
    /// How sure the service is, usually 0.0 to 1.0.
    public let confidence: Double
    /// Its category, if it has one.
    public let category: String?
    /// Its subcategory, if it has one.
    public let subcategory: String?
    /// When it was made.
    public let createdAt: Date
    /// When it last changed; nil if it never has.
    public let updatedAt: Date?
    /// The document it came from, when known.
    public let sourceDocumentId: String?

    /// Copies a C memory; the caller still owns it.
    init(_ memory: OpaquePointer) {
        memoryId = String(cString: synap_memory_id(memory))
        memoryType = String(cString: synap_memory_type(memory))
        content = String(cString: synap_memory_content(memory))
        confidence = synap_memory_confidence(memory)
        category = synap_memory_category(memory).map { String(cString: $0) }
        subcategory = synap_memory_subcategory(memory).map { String(cString: $0) }
        createdAt = date(synap_memory_created_at_us(memory))
        var us: Int64 = 0
        updatedAt = synap_memory_updated_at_us(memory, &us) ? date(us) : nil
        sourceDocumentId = synap_memory_source_document_id(memory).map { String(cString: $0) }
    }
}

/// The account behind the client's API key, copied out of libsynap.
public struct Identity {
    /// The client (account) id, if the service said.
    public let clientId: String?
    /// The instance id, if the service said.
    public let instanceId: String?
    /// "equals_customer" on a B2C instance (each customer is one user);
    /// otherwise nil or another value.
    public let userContextIsolation: String?

    /// Copies a C identity; the caller still owns it.
    init(_ identity: OpaquePointer) {
        clientId = synap_identity_client_id(identity).map { String(cString: $0) }
        instanceId = synap_identity_instance_id(identity).map { String(cString: $0) }
        userContextIsolation = synap_identity_user_context_isolation(identity).map { String(cString: $0) }
    }
}

/// Where one job of a wait stands (SynapWaitState in synap.h, with the
/// same values).
public enum WaitState: Int, CaseIterable {
    /// Not polled yet.
    case pending = 0
    /// Last seen queued.
    case queued = 1
    /// Last seen processing, or in a state this version does not know.
    case processing = 2
    /// Finished: completed.
    case completed = 3
    /// Finished: failed.
    case failed = 4
    /// Finished: partial_success.
    case partialSuccess = 5
    /// Ended by an error: a malformed id, a status error, the timeout or a
    /// cancel.
    case error = 6
}

/// How many jobs of a wait are in each state.
public struct WaitCounts {
    /// Not polled yet.
    public let pending: Int
    /// Last seen queued.
    public let queued: Int
    /// Last seen processing (or in a state this version does not know).
    public let processing: Int
    /// Finished: completed.
    public let completed: Int
    /// Finished: failed.
    public let failed: Int
    /// Finished: partial_success.
    public let partialSuccess: Int
    /// Ended by an error: a malformed id, a status error, the timeout or a
    /// cancel.
    public let errors: Int

    /// Jobs that will not change any more, errors included.
    public var finished: Int { completed + failed + partialSuccess + errors }

    /// How many jobs are in `state`.
    public subscript(state: WaitState) -> Int {
        switch state {
        case .pending: return pending
        case .queued: return queued
        case .processing: return processing
        case .completed: return completed
        case .failed: return failed
        case .partialSuccess: return partialSuccess
        case .error: return errors
        }
    }

    /// Counts read state by state, in WaitState's order, with `count`.
    init(_ count: (WaitState) -> Int) {
        pending = count(.pending)
        queued = count(.queued)
        processing = count(.processing)
        completed = count(.completed)
        failed = count(.failed)
        partialSuccess = count(.partialSuccess)
        errors = count(.error)
    }
}

/// Where a wait stands, as its progress closure sees it; copied out of
/// libsynap, so it may be kept.
public struct WaitProgress {
    /// How many jobs the wait follows: 1 for Client.wait.
    public let total: Int
    /// How many of them are in each state.
    public let counts: WaitCounts
    /// For Client.wait, the status just polled; nil for Client.waitAll and
    /// Client.waitForDeletion.
    public let status: MemoryStatus?
    /// For Client.waitForDeletion, the deletion record just polled (a
    /// complete deletion counts as `.completed`, a partial one as
    /// `.partialSuccess`, anything else as `.processing`); nil for the
    /// ingestion waits.
    public let deletion: DataDeletion?

    /// Copies the progress libsynap lends the callback for its call only.
    init(_ progress: OpaquePointer) {
        total = synap_wait_progress_total(progress)
        counts = WaitCounts { synap_wait_progress_count(progress, Int32($0.rawValue)) }
        status = synap_wait_progress_status(progress).map { MemoryStatus($0) }
        deletion = synap_wait_progress_deletion(progress).map { DataDeletion($0) }
    }
}

/// How Client.wait, Client.waitAll and Client.waitForDeletion wait; nil
/// leaves libsynap's default.
/// A value libsynap refuses throws `.invalidArgument` before any request.
public struct WaitOptions {
    /// How long the whole wait may take, in seconds; more than 0. Default
    /// 300. A job still running then ends with `.timeout`.
    public var timeout: TimeInterval?
    /// The pause between two polls of a job, in seconds; more than 0.
    /// Default 2.
    public var pollInterval: TimeInterval?
    /// How many jobs Client.waitAll polls at once, 1 to 64. Default 8.
    public var maxInFlight: UInt32?
    /// Stops the wait with `.cancelled` when triggered from another thread.
    public var cancel: Cancel?
    /// Runs on the waiting thread: for Client.wait after every poll, for
    /// Client.waitAll once before any poll and then after every change.
    /// Returning false stops the wait with `.cancelled`.
    public var progress: ((WaitProgress) -> Bool)?

    /// Options with the given settings; the rest keep libsynap's defaults.
    public init(timeout: TimeInterval? = nil, pollInterval: TimeInterval? = nil, maxInFlight: UInt32? = nil,
                cancel: Cancel? = nil, progress: ((WaitProgress) -> Bool)? = nil) {
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.maxInFlight = maxInFlight
        self.cancel = cancel
        self.progress = progress
    }

    /// Runs `body` with the C options, which (with the progress closure and
    /// the cancel handle they point to) live until it returns. `body` reads
    /// a failure's details itself: the options are freed after it.
    fileprivate func withHandle(_ body: (OpaquePointer) throws -> Void) throws {
        guard let o = synap_wait_options_new() else {
            throw SynapError.outOfMemory
        }
        defer { synap_wait_options_free(o) }
        if let t = timeout {
            try check(synap_wait_options_set_timeout_ms(o, milliseconds(t)))
        }
        if let t = pollInterval {
            try check(synap_wait_options_set_poll_interval_ms(o, milliseconds(t)))
        }
        if let n = maxInFlight {
            try check(synap_wait_options_set_max_in_flight(o, n))
        }
        if let cancel = cancel {
            try check(synap_wait_options_set_cancel(o, cancel.handle))
        }
        let box = progress.map { ProgressHandler($0) }
        if let box = box {
            try check(synap_wait_options_set_progress(o, { progress, userData in
                let box = Unmanaged<ProgressHandler>.fromOpaque(userData!).takeUnretainedValue()
                return box.call(WaitProgress(progress!))
            }, Unmanaged.passUnretained(box).toOpaque()))
        }
        try withExtendedLifetime((box, cancel)) { try body(o) }
    }
}

/// The progress closure of a wait, which libsynap reaches through the
/// callback's user data. A class, so that its address is stable.
private final class ProgressHandler {
    let call: (WaitProgress) -> Bool
    init(_ call: @escaping (WaitProgress) -> Bool) { self.call = call }
}

/// The outcome of Client.waitAll, copied out of libsynap.
public struct WaitAllResults {
    /// One per id, in the order given: the terminal status (completed,
    /// failed or partial_success), or what ended that job (`.invalidArgument`
    /// for a malformed id, `.timeout`, `.cancelled`, a status error).
    public let results: [Result<MemoryStatus, SynapError>]
    /// How many jobs ended in each state; jobs that did not finish count as
    /// errors, so nothing is pending, queued or processing.
    public let counts: WaitCounts

    /// Copies C results; the caller still owns them.
    init(_ out: OpaquePointer) {
        results = (0..<synap_wait_all_count(out)).map { i -> Result<MemoryStatus, SynapError> in
            if let status = synap_wait_all_status(out, i) {
                return .success(MemoryStatus(status))
            }
            let message = synap_wait_all_error_message(out, i).map { String(cString: $0) } ?? ""
            return .failure(SynapError(synap_wait_all_code(out, i), message: message))
        }
        counts = WaitCounts { synap_wait_all_count_in(out, Int32($0.rawValue)) }
    }
}

/// Stops the waits it is given to (`WaitOptions.cancel`) from another
/// thread; once triggered it stays so.
public final class Cancel: @unchecked Sendable {
    let handle: OpaquePointer

    /// A handle not yet triggered.
    public init() {
        handle = synap_cancel_new()
    }

    deinit {
        synap_cancel_free(handle)
    }

    /// Stops every wait watching this handle.
    public func trigger() {
        synap_cancel_trigger(handle)
    }

    /// Whether trigger() was called.
    public var isTriggered: Bool {
        synap_cancel_is_triggered(handle)
    }
}

/// A context fetch for Client.fetchContext: whose memories (the scope and
/// its ids), what to look for (the queries), and how to rank and shape the
/// answer. nil (or empty) leaves libsynap's default; libsynap checks each
/// value before any request and throws `.invalidArgument` naming the field.
public struct ContextRequest {
    /// Whose memories a fetch reads, and so the route it goes to
    /// (SynapContextScope in synap.h, with the same values).
    public enum Scope: Int {
        /// One end user's memories; needs `userId`.
        case user = 1
        /// One customer's (organisation's); needs `customerId`.
        case customer = 2
        /// The whole account's.
        case client = 3
        /// One conversation's; needs `conversationId`.
        case conversation = 4
    }

    /// Summary mode (user scope only): the user's profile and the
    /// summaries of their last conversations instead of memories.
    public struct SummaryMode {
        /// Whether the answer carries the user's profile.
        public var includeProfile: Bool
        /// How many of the user's most recent conversations to summarise,
        /// 0 to 20.
        public var lastConversations: UInt32

        /// Summary mode with the profile or not, and `lastConversations`
        /// conversations.
        public init(includeProfile: Bool, lastConversations: UInt32) {
            self.includeProfile = includeProfile
            self.lastConversations = lastConversations
        }
    }

    /// Whose memories to read.
    public var scope: Scope
    /// The end user: the user scope's id, and a filter on the conversation
    /// scope. Any text but "" (`/`, `?` and `#` reach the service intact).
    public var userId: String?
    /// The customer: the customer scope's id, and a user's tenant on a B2B
    /// instance; refused on a B2C instance once whoami() has reported it.
    public var customerId: String?
    /// The conversation, a UUID (any case, hyphens or not): the
    /// conversation scope's id, and the current conversation elsewhere.
    public var conversationId: String?
    /// What to look for. Without a query (none, or only blank ones) a
    /// conversation fetch answers with the conversation's state and a user
    /// fetch with the user's profile when there is one (`Context.source`).
    public var queries: [String]
    /// How many memories at most, at least 1. Default 10; the service
    /// refuses more than it allows (`.invalidRequest`).
    public var maxResults: UInt32?
    /// The memory types to fetch: "facts", "preferences", "episodes",
    /// "emotions", "temporal_events" or "all"; none means all.
    public var types: [String]
    /// "fast" (the default) or "accurate".
    public var mode: String?
    /// "high" (the default) or "medium".
    public var precisionLevel: String?
    /// "by_type" (the default: the five typed lists) or "ranked"
    /// (`Context.ranked`, best first across types, plus `excerpts`, with the
    /// typed lists as views of it).
    public var responseShape: String?
    /// The day the queries are asked, as text the service reads
    /// ("2025-03-11", "2025/03/11 21:26"); nil (or "") means now.
    public var queryDate: String?
    /// How many memories each query may contribute; nil (or 0) for no
    /// bound per query.
    public var maxResultsPerQuery: UInt32?
    /// Levels between customer and user, e.g. ["team": "payments"]; the
    /// service refuses a path that skips a level.
    public var scopePath: [String: String]
    /// Summary mode instead of memories; user scope only.
    public var summaryMode: SummaryMode?

    /// A fetch in `scope` with the given settings; the rest keep the
    /// defaults.
    public init(scope: Scope, userId: String? = nil, customerId: String? = nil, conversationId: String? = nil,
                queries: [String] = [], maxResults: UInt32? = nil, types: [String] = [], mode: String? = nil,
                precisionLevel: String? = nil, responseShape: String? = nil, queryDate: String? = nil,
                maxResultsPerQuery: UInt32? = nil, scopePath: [String: String] = [:],
                summaryMode: SummaryMode? = nil) {
        self.scope = scope
        self.userId = userId
        self.customerId = customerId
        self.conversationId = conversationId
        self.queries = queries
        self.maxResults = maxResults
        self.types = types
        self.mode = mode
        self.precisionLevel = precisionLevel
        self.responseShape = responseShape
        self.queryDate = queryDate
        self.maxResultsPerQuery = maxResultsPerQuery
        self.scopePath = scopePath
        self.summaryMode = summaryMode
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let r = synap_context_request_new(Int32(scope.rawValue)) else {
            throw SynapError.outOfMemory
        }
        do {
            if let id = userId {
                try check(synap_context_request_set_user_id(r, cText(id, "userId")))
            }
            if let id = customerId {
                try check(synap_context_request_set_customer_id(r, cText(id, "customerId")))
            }
            if let id = conversationId {
                try check(synap_context_request_set_conversation_id(r, cText(id, "conversationId")))
            }
            for (i, query) in queries.enumerated() {
                try check(synap_context_request_add_query(r, cText(query, "queries[\(i)]")))
            }
            if let n = maxResults {
                try check(synap_context_request_set_max_results(r, n))
            }
            for (i, memoryType) in types.enumerated() {
                try check(synap_context_request_add_type(r, cText(memoryType, "types[\(i)]")))
            }
            if let mode = mode {
                try check(synap_context_request_set_mode(r, cText(mode, "mode")))
            }
            if let level = precisionLevel {
                try check(synap_context_request_set_precision_level(r, cText(level, "precisionLevel")))
            }
            if let shape = responseShape {
                try check(synap_context_request_set_response_shape(r, cText(shape, "responseShape")))
            }
            if let day = queryDate {
                try check(synap_context_request_set_query_date(r, cText(day, "queryDate")))
            }
            if let n = maxResultsPerQuery {
                try check(synap_context_request_set_max_results_per_query(r, n))
            }
            for (level, value) in scopePath {
                try check(synap_context_request_add_scope_level(r, cText(level, "scopePath level"),
                                                                cText(value, "scopePath[\(level)]")))
            }
            if let summary = summaryMode {
                try check(synap_context_request_set_summary_mode(r, summary.includeProfile,
                                                                 summary.lastConversations))
            }
        } catch {
            synap_context_request_free(r)
            throw error
        }
        return r
    }
}

/// One remembered item of a Context, copied out of libsynap. Each memory
/// type names its fields differently on the wire; every item is read into
/// this one shape. A value the service left out, sent as null or sent in a
/// form that does not read as its type is nil.
public struct ContextItem {
    /// The list it belongs to ("facts", "preferences", "episodes",
    /// "emotions", "temporal_events", "excerpts"); for a ranked item, its
    /// category as sent.
    public let kind: String?
    /// The memory's id.
    public let id: String?
    /// What was remembered (an episode's summary, an emotion's context).
    public let text: String?
    /// How sure or how strong, usually 0 to 1 but kept as sent (a
    /// preference's strength, an episode's significance, an emotion's
    /// intensity); "explicit", "inferred" and "assumed" read as 1.0, 0.75
    /// and 0.5.
    public let score: Double?
    /// A preference's category, an emotion's type or a temporal event's
    /// temporal category.
    public let label: String?
    /// When it was extracted (an episode's occurrence, an emotion's
    /// detection).
    public let time: Date?
    /// Where it came from: "conversation", "chunks", ...
    public let source: String?
    /// The start of the time window the memory is about.
    public let eventDate: Date?
    /// The end of that window.
    public let eventEnd: Date?
    /// The day it was said.
    public let saidAt: Date?
    /// Until when it holds.
    public let validUntil: Date?
    /// How precise the window is: "day", "month", "approximate", ...
    public let eventPrecision: String?
    /// "perpetual", "temporal_fact", "episode", ...
    public let temporalCategory: String?
    /// How sure the temporal reading is.
    public let temporalConfidence: Double?
    /// The fetch's queries that found it.
    public let matchedQueries: [String]
    /// The quotes the memory rests on.
    public let sourceEvidence: [String]
    /// An episode's participants.
    public let participants: [String]
    /// In the ranked shape, its rank (1 is the best).
    public let rank: Int?
    /// In the ranked shape, its rank score.
    public let rankScore: Double?
    /// Its metadata object as JSON text, with the keys this version does
    /// not read.
    public let metadataJSON: String?

    /// Copies an item its context lends; the context still owns it.
    init(_ item: OpaquePointer) {
        var number: Double = 0
        var us: Int64 = 0
        var whole: Int64 = 0
        kind = optionalString(synap_context_item_kind(item))
        id = optionalString(synap_context_item_id(item))
        text = optionalString(synap_context_item_text(item))
        score = synap_context_item_score(item, &number) ? number : nil
        label = optionalString(synap_context_item_label(item))
        time = synap_context_item_time_us(item, &us) ? date(us) : nil
        source = optionalString(synap_context_item_source(item))
        eventDate = synap_context_item_event_date_us(item, &us) ? date(us) : nil
        eventEnd = synap_context_item_event_end_us(item, &us) ? date(us) : nil
        saidAt = synap_context_item_said_at_us(item, &us) ? date(us) : nil
        validUntil = synap_context_item_valid_until_us(item, &us) ? date(us) : nil
        eventPrecision = optionalString(synap_context_item_event_precision(item))
        temporalCategory = optionalString(synap_context_item_temporal_category(item))
        temporalConfidence = synap_context_item_temporal_confidence(item, &number) ? number : nil
        matchedQueries = strings(synap_context_item_matched_query_count(item)) {
            synap_context_item_matched_query(item, $0)
        }
        sourceEvidence = strings(synap_context_item_source_evidence_count(item)) {
            synap_context_item_source_evidence(item, $0)
        }
        participants = strings(synap_context_item_participant_count(item)) {
            synap_context_item_participant(item, $0)
        }
        rank = synap_context_item_rank(item, &whole) ? Int(clamping: whole) : nil
        rankScore = synap_context_item_rank_score(item, &number) ? number : nil
        metadataJSON = optionalString(synap_context_item_metadata_json(item))
    }
}

/// One turn of a conversation, copied out of libsynap.
public struct Turn {
    /// Who spoke: "user", "assistant", ...
    public let role: String?
    /// What was said.
    public let content: String?
    /// When.
    public let timestamp: Date?
    /// The message's id, where the service gives one.
    public let messageId: String?

    /// Copies a turn its owner lends; the owner still owns it.
    init(_ turn: OpaquePointer) {
        var us: Int64 = 0
        role = optionalString(synap_turn_role(turn))
        content = optionalString(synap_turn_content(turn))
        timestamp = synap_turn_timestamp_us(turn, &us) ? date(us) : nil
        messageId = optionalString(synap_turn_message_id(turn))
    }
}

/// A conversation's state as a context fetch returns it, copied out of
/// libsynap.
public struct ConversationContext {
    /// The conversation's id.
    public let conversationId: String?
    /// The compaction narrative.
    public let summary: String?
    /// The turns after the compaction cut-off, oldest first.
    public let recentTurns: [Turn]
    /// The compaction the summary comes from.
    public let compactionId: String?
    /// When it was compacted, as the service wrote it (not parsed).
    public let compactedAt: String?
    /// The prompt-ready text, when given.
    public let formattedContext: String?
    /// `current_state` as JSON text.
    public let currentStateJSON: String?
    /// `key_extractions` as JSON text.
    public let keyExtractionsJSON: String?

    /// Copies the state its context lends; the context still owns it.
    init(_ conversation: OpaquePointer) {
        conversationId = optionalString(synap_conversation_context_id(conversation))
        summary = optionalString(synap_conversation_context_summary(conversation))
        recentTurns = (0..<synap_conversation_context_turn_count(conversation)).map {
            Turn(synap_conversation_context_turn(conversation, $0))
        }
        compactionId = optionalString(synap_conversation_context_compaction_id(conversation))
        compactedAt = optionalString(synap_conversation_context_compacted_at(conversation))
        formattedContext = optionalString(synap_conversation_context_formatted_context(conversation))
        currentStateJSON = optionalString(synap_conversation_context_current_state_json(conversation))
        keyExtractionsJSON = optionalString(synap_conversation_context_key_extractions_json(conversation))
    }
}

/// The retrieval block of a Context: how the service says "nothing came
/// back because retrieval broke", as against "nothing relevant".
public struct Retrieval {
    /// Whether the answer is incomplete because retrieval broke.
    public let isDegraded: Bool
    /// How much broke: "partial", "minimal" or "failed".
    public let level: String?
    /// Why: "timeout", "overloaded", "unavailable" or "internal".
    public let code: String?
    /// The service's warnings, as sent.
    public let warnings: [String]

    /// Copies the block its context lends; the context still owns it.
    init(_ retrieval: OpaquePointer) {
        isDegraded = synap_retrieval_degraded(retrieval)
        level = optionalString(synap_retrieval_level(retrieval))
        code = optionalString(synap_retrieval_code(retrieval))
        warnings = strings(synap_retrieval_warning_count(retrieval)) { synap_retrieval_warning(retrieval, $0) }
    }
}

/// One attribute of a Profile.
public struct ProfileAttribute {
    /// Its name, e.g. "preferred_name".
    public let name: String?
    /// Its value as JSON text; a string value keeps its quotes.
    public let valueJSON: String?
    /// How sure the service is of it.
    public let confidence: Double?
    /// When it last changed.
    public let updatedAt: Date?
    /// The conversation it was learnt in.
    public let sourceConversationId: String?
}

/// What the service has learnt of a user, copied out of libsynap.
public struct Profile {
    /// The free-text overview.
    public let overview: String?
    /// The attributes, in the order sent.
    public let attributes: [ProfileAttribute]
    /// The whole profile document as JSON text.
    public let json: String?

    /// Copies a profile, owned by the caller or lent by a context; its
    /// owner still owns it.
    init(_ profile: OpaquePointer) {
        overview = optionalString(synap_profile_overview(profile))
        attributes = (0..<synap_profile_attribute_count(profile)).map { i -> ProfileAttribute in
            var confidence: Double = 0
            var us: Int64 = 0
            return ProfileAttribute(
                name: optionalString(synap_profile_attribute_name(profile, i)),
                valueJSON: optionalString(synap_profile_attribute_value_json(profile, i)),
                confidence: synap_profile_attribute_confidence(profile, i, &confidence) ? confidence : nil,
                updatedAt: synap_profile_attribute_updated_at_us(profile, i, &us) ? date(us) : nil,
                sourceConversationId: optionalString(synap_profile_attribute_source_conversation_id(profile, i)))
        }
        json = optionalString(synap_profile_json(profile))
    }
}

/// One conversation's summary in summary mode, copied out of libsynap.
public struct ConversationSummary {
    /// The conversation's id.
    public let conversationId: String?
    /// Whether its summary is ready: "available", "pending" or "failed".
    public let status: String?
    /// The summary's prompt text.
    public let summary: String?
    /// How many messages the conversation has.
    public let messageCount: Int?
    /// When it started.
    public let startedAt: Date?
    /// When its last message came.
    public let lastMessageAt: Date?
    /// The whole summary element as JSON text.
    public let json: String?

    /// Copies a summary its context lends; the context still owns it.
    init(_ summary: OpaquePointer) {
        var count: Int64 = 0
        var us: Int64 = 0
        conversationId = optionalString(synap_conversation_summary_id(summary))
        status = optionalString(synap_conversation_summary_status(summary))
        self.summary = optionalString(synap_conversation_summary_text(summary))
        messageCount = synap_conversation_summary_message_count(summary, &count) ? Int(clamping: count) : nil
        startedAt = synap_conversation_summary_started_at_us(summary, &us) ? date(us) : nil
        lastMessageAt = synap_conversation_summary_last_message_at_us(summary, &us) ? date(us) : nil
        json = optionalString(synap_conversation_summary_json(summary))
    }
}

/// The lists of a context (SynapContextList in synap.h, with the same
/// values).
private enum ContextList: Int {
    /// Context.facts.
    case facts = 1
    /// Context.preferences.
    case preferences = 2
    /// Context.episodes.
    case episodes = 3
    /// Context.emotions.
    case emotions = 4
    /// Context.temporalEvents.
    case temporalEvents = 5
    /// Context.ranked.
    case ranked = 6
    /// Context.excerpts.
    case excerpts = 7
}

/// What Client.fetchContext returned, copied out of libsynap: the
/// memories, the conversation's state, the retrieval block, summary mode's
/// profile and conversation summaries, and the answer's metadata.
///
/// Read tolerantly: an item's value that is null or does not read as its
/// type is nil and the rest of the answer stands; only a body whose
/// structure is wrong (a list that is not an array, an item that is not an
/// object) throws `.protocolError` naming the field.
public struct Context {
    /// Facts, best first.
    public let facts: [ContextItem]
    /// Preferences, best first.
    public let preferences: [ContextItem]
    /// Episodes, best first.
    public let episodes: [ContextItem]
    /// Emotions, best first.
    public let emotions: [ContextItem]
    /// Temporal events, best first.
    public let temporalEvents: [ContextItem]
    /// In the ranked shape, every item best first across types; empty in
    /// the by-type shape.
    public let ranked: [ContextItem]
    /// In the ranked shape, the document excerpts (source "chunks").
    public let excerpts: [ContextItem]
    /// The conversation's state, when the service sent one (or a
    /// conversation fetch without a query read it).
    public let conversation: ConversationContext?
    /// The retrieval block, when the service sent one.
    public let retrieval: Retrieval?
    /// The user's profile: summary mode, or a user fetch without a query.
    public let profile: Profile?
    /// Summary mode's conversation summaries, most recent first.
    public let conversations: [ConversationSummary]
    /// How long the answer may be cached (300 s when the service did not
    /// say).
    public let ttl: TimeInterval
    /// Where the answer came from: "cloud" (a fetch), "profile" or
    /// "conversation_state" (a fetch without a query).
    public let source: String
    /// The call's correlation id, to quote to the service.
    public let correlationId: String?
    /// When the answer was received.
    public let retrievedAt: Date
    /// The response body as JSON text; nil when no body was read (a
    /// profile answer).
    public let rawJSON: String?

    /// Copies a C context; the caller still owns it.
    init(_ context: OpaquePointer) {
        facts = Context.items(context, .facts)
        preferences = Context.items(context, .preferences)
        episodes = Context.items(context, .episodes)
        emotions = Context.items(context, .emotions)
        temporalEvents = Context.items(context, .temporalEvents)
        ranked = Context.items(context, .ranked)
        excerpts = Context.items(context, .excerpts)
        conversation = synap_context_conversation(context).map { ConversationContext($0) }
        retrieval = synap_context_retrieval(context).map { Retrieval($0) }
        profile = synap_context_profile(context).map { Profile($0) }
        conversations = (0..<synap_context_conversation_count(context)).map {
            ConversationSummary(synap_context_conversation_summary(context, $0))
        }
        ttl = TimeInterval(synap_context_ttl_seconds(context))
        source = String(cString: synap_context_source(context))
        correlationId = optionalString(synap_context_correlation_id(context))
        retrievedAt = date(synap_context_retrieved_at_us(context))
        rawJSON = optionalString(synap_context_raw_json(context))
    }

    /// The items of `list`, copied in order.
    private static func items(_ context: OpaquePointer, _ list: ContextList) -> [ContextItem] {
        let id = Int32(list.rawValue)
        return (0..<synap_context_count(context, id)).map { ContextItem(synap_context_item(context, id, $0)) }
    }
}

/// A conversation's prompt context, copied out of libsynap: its compacted
/// history plus every message after the cut-off, as one prompt-ready
/// string and its parts.
public struct PromptContext {
    /// The prompt-ready text: the compaction block, then the recent
    /// messages.
    public let formattedContext: String?
    /// Whether a compaction exists.
    public let isAvailable: Bool
    /// Whether the compaction lags the conversation.
    public let isStale: Bool
    /// Whether the service doubts the compaction's quality.
    public let hasQualityWarning: Bool
    /// How much the compaction shrank the history.
    public let compressionRatio: Double?
    /// The compaction's validation score.
    public let validationScore: Double?
    /// How old the compaction is.
    public let compactionAge: TimeInterval?
    /// The messages after the cut-off (all of them before any compaction),
    /// oldest first.
    public let recentMessages: [Turn]
    /// How many messages came after the cut-off, as the service counts them.
    public let recentMessageCount: Int
    /// How many messages the compaction covers.
    public let compactedMessageCount: Int
    /// How many messages the conversation has.
    public let totalMessageCount: Int
    /// The compaction block alone.
    public let contextBlock: String?
    /// The compaction it comes from.
    public let compactionId: String?
    /// The response body as JSON text.
    public let rawJSON: String?

    /// Copies a C prompt context; the caller still owns it.
    init(_ prompt: OpaquePointer) {
        var number: Double = 0
        var seconds: Int64 = 0
        formattedContext = optionalString(synap_prompt_context_formatted_context(prompt))
        isAvailable = synap_prompt_context_available(prompt)
        isStale = synap_prompt_context_is_stale(prompt)
        hasQualityWarning = synap_prompt_context_quality_warning(prompt)
        compressionRatio = synap_prompt_context_compression_ratio(prompt, &number) ? number : nil
        validationScore = synap_prompt_context_validation_score(prompt, &number) ? number : nil
        compactionAge = synap_prompt_context_compaction_age_seconds(prompt, &seconds) ? TimeInterval(seconds) : nil
        recentMessages = (0..<synap_prompt_context_turn_count(prompt)).map { Turn(synap_prompt_context_turn(prompt, $0)) }
        recentMessageCount = Int(clamping: synap_prompt_context_recent_message_count(prompt))
        compactedMessageCount = Int(clamping: synap_prompt_context_compacted_message_count(prompt))
        totalMessageCount = Int(clamping: synap_prompt_context_total_message_count(prompt))
        contextBlock = optionalString(synap_prompt_context_context_block(prompt))
        compactionId = optionalString(synap_prompt_context_compaction_id(prompt))
        rawJSON = optionalString(synap_prompt_context_raw_json(prompt))
    }
}

/// One message of a conversation, for Client.recordMessage and
/// Client.recordMessages. nil (or empty) leaves the default; libsynap
/// checks each value before any request and throws `.invalidArgument`
/// naming the field.
public struct Message {
    /// The conversation, a UUID (any case, hyphens or not).
    public var conversationId: String
    /// Who spoke: "user" or "assistant".
    public var role: String
    /// What was said; may be empty.
    public var content: String
    /// The end user; required by Client.recordMessage, optional in a batch.
    public var userId: String?
    /// The customer on a B2B instance; refused on a B2C instance once
    /// whoami() has reported it.
    public var customerId: String?
    /// The session; nil (or "") lets the service make one.
    public var sessionId: String?
    /// Free-form metadata, a JSON object given as text.
    public var metadataJSON: String?
    /// Levels between customer and user, e.g. ["team": "payments"].
    public var scope: [String: String]
    /// The model the agent runs, sent in the metadata as `agent_model`;
    /// the service sizes compaction to its window.
    public var agentModel: String?
    /// The agent's context window in tokens, sent in the metadata as
    /// `agent_context_window`.
    public var agentContextWindow: UInt32?

    /// A message of `conversationId`; the rest keep the defaults.
    public init(conversationId: String, role: String, content: String, userId: String? = nil,
                customerId: String? = nil, sessionId: String? = nil, metadataJSON: String? = nil,
                scope: [String: String] = [:], agentModel: String? = nil, agentContextWindow: UInt32? = nil) {
        self.conversationId = conversationId
        self.role = role
        self.content = content
        self.userId = userId
        self.customerId = customerId
        self.sessionId = sessionId
        self.metadataJSON = metadataJSON
        self.scope = scope
        self.agentModel = agentModel
        self.agentContextWindow = agentContextWindow
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let r = synap_message_request_new() else {
            throw SynapError.outOfMemory
        }
        do {
            try check(synap_message_request_set_conversation_id(r, cText(conversationId, "conversationId")))
            try check(synap_message_request_set_role(r, cText(role, "role")))
            try check(synap_message_request_set_content(r, cText(content, "content")))
            if let id = userId {
                try check(synap_message_request_set_user_id(r, cText(id, "userId")))
            }
            if let id = customerId {
                try check(synap_message_request_set_customer_id(r, cText(id, "customerId")))
            }
            if let id = sessionId {
                try check(synap_message_request_set_session_id(r, cText(id, "sessionId")))
            }
            if let json = metadataJSON {
                try check(synap_message_request_set_metadata_json(r, cText(json, "metadataJSON")))
            }
            for (level, value) in scope {
                try check(synap_message_request_add_scope_level(r, cText(level, "scope level"),
                                                                cText(value, "scope[\(level)]")))
            }
            if let model = agentModel {
                try check(synap_message_request_set_agent_model(r, cText(model, "agentModel")))
            }
            if let tokens = agentContextWindow {
                try check(synap_message_request_set_agent_context_window(r, tokens))
            }
        } catch {
            synap_message_request_free(r)
            throw error
        }
        return r
    }
}

/// A message the service recorded, copied out of libsynap. A value the
/// service left out is nil.
public struct RecordedMessage {
    /// The message's id.
    public let messageId: String?
    /// The conversation.
    public let conversationId: String?
    /// The session, given or made by the service.
    public let sessionId: String?
    /// When the service recorded it.
    public let recordedAt: Date?
    /// How many messages the conversation holds after this one.
    public let conversationMessageCount: Int?

    /// Copies a C recorded message, owned by the caller or lent by a batch;
    /// its owner still owns it.
    init(_ message: OpaquePointer) {
        var us: Int64 = 0
        var count: Int64 = 0
        messageId = optionalString(synap_recorded_message_id(message))
        conversationId = optionalString(synap_recorded_message_conversation_id(message))
        sessionId = optionalString(synap_recorded_message_session_id(message))
        recordedAt = synap_recorded_message_recorded_at_us(message, &us) ? date(us) : nil
        conversationMessageCount = synap_recorded_message_conversation_message_count(message, &count)
            ? Int(clamping: count) : nil
    }
}

/// The answer to Client.recordMessages, copied out of libsynap.
public struct MessageBatch {
    /// A message of the batch the service refused.
    public struct Refusal {
        /// Its position in the array sent, from 0, when the service said.
        public let index: Int?
        /// Why, as the service said it.
        public let message: String?
    }

    /// How many messages the service counted.
    public let total: Int?
    /// How many it stored.
    public let succeeded: Int?
    /// How many it refused.
    public let failed: Int?
    /// One per stored message, in the order sent; refused ones are left out.
    public let results: [RecordedMessage]
    /// The refused messages.
    public let refusals: [Refusal]

    /// Copies a C batch and every message it lends; the caller still owns it.
    init(_ batch: OpaquePointer) {
        var count: Int64 = 0
        total = synap_message_batch_total(batch, &count) ? Int(clamping: count) : nil
        succeeded = synap_message_batch_succeeded(batch, &count) ? Int(clamping: count) : nil
        failed = synap_message_batch_failed(batch, &count) ? Int(clamping: count) : nil
        results = (0..<synap_message_batch_result_count(batch)).map {
            RecordedMessage(synap_message_batch_result(batch, $0))
        }
        refusals = (0..<synap_message_batch_error_count(batch)).map { i -> Refusal in
            var index: Int64 = 0
            return Refusal(index: synap_message_batch_error_index(batch, i, &index) ? Int(clamping: index) : nil,
                           message: optionalString(synap_message_batch_error_message(batch, i)))
        }
    }
}

/// A finished conversation to ingest in one go, for
/// Client.ingestTranscript: its id, its user and the transcript, as text
/// or as turns. nil (or empty) leaves the default; libsynap checks each
/// value before any request and throws `.invalidArgument` naming the
/// field.
public struct Transcript {
    /// One turn of a transcript.
    public struct Turn {
        /// Who spoke: "user" or "assistant".
        public var role: String
        /// What was said.
        public var content: String
        /// The speaker's name; nil when unknown.
        public var speaker: String?
        /// When it was said; nil when unknown.
        public var timestamp: Date?

        /// A turn of `role` saying `content`.
        public init(role: String, content: String, speaker: String? = nil, timestamp: Date? = nil) {
            self.role = role
            self.content = content
            self.speaker = speaker
            self.timestamp = timestamp
        }
    }

    /// The transcript itself.
    public enum Content {
        /// The whole transcript as text, which the service splits on its
        /// turn grammar ("User: ..." / "Assistant: ..." lines).
        case text(String)
        /// The turns, in order.
        case turns([Turn])
    }

    /// The conversation's id as you know it (a call id, a UUID, ...); any
    /// text but "". The service answers with the UUID it keeps for it
    /// (`TranscriptIngestion.conversationId`): use that afterwards.
    public var conversationId: String
    /// The end user; any text but "".
    public var userId: String
    /// The transcript.
    public var content: Content
    /// The customer on a B2B instance; refused on a B2C instance once
    /// whoami() has reported it.
    public var customerId: String?
    /// The kind of conversation: "voice", "chat", ...
    public var conversationType: String?
    /// Your analysis of the conversation, a JSON object given as text.
    public var analysisJSON: String?
    /// Free-form metadata, a JSON object given as text.
    public var metadataJSON: String?
    /// When the conversation started.
    public var startedAt: Date?
    /// When it ended.
    public var endedAt: Date?
    /// Levels between customer and user, e.g. ["team": "payments"].
    public var scope: [String: String]

    /// A transcript of `conversationId` for `userId`; the rest keep the
    /// defaults.
    public init(conversationId: String, userId: String, content: Content, customerId: String? = nil,
                conversationType: String? = nil, analysisJSON: String? = nil, metadataJSON: String? = nil,
                startedAt: Date? = nil, endedAt: Date? = nil, scope: [String: String] = [:]) {
        self.conversationId = conversationId
        self.userId = userId
        self.content = content
        self.customerId = customerId
        self.conversationType = conversationType
        self.analysisJSON = analysisJSON
        self.metadataJSON = metadataJSON
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.scope = scope
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let r = synap_transcript_request_new() else {
            throw SynapError.outOfMemory
        }
        do {
            try check(synap_transcript_request_set_conversation_id(r, cText(conversationId, "conversationId")))
            try check(synap_transcript_request_set_user_id(r, cText(userId, "userId")))
            if let id = customerId {
                try check(synap_transcript_request_set_customer_id(r, cText(id, "customerId")))
            }
            switch content {
            case .text(let text):
                try check(synap_transcript_request_set_text(r, cText(text, "transcript")))
            case .turns(let turns):
                for (i, turn) in turns.enumerated() {
                    let role = try cText(turn.role, "turns[\(i)].role")
                    let said = try cText(turn.content, "turns[\(i)].content")
                    let speaker = try turn.speaker.map { try cText($0, "turns[\(i)].speaker") }
                    try withOptionalCString(speaker) { s in
                        if let at = turn.timestamp {
                            try check(synap_transcript_request_add_timed_turn(r, role, said, s, microseconds(at)))
                        } else {
                            try check(synap_transcript_request_add_turn(r, role, said, s))
                        }
                    }
                }
            }
            if let kind = conversationType {
                try check(synap_transcript_request_set_conversation_type(r, cText(kind, "conversationType")))
            }
            if let json = analysisJSON {
                try check(synap_transcript_request_set_analysis_json(r, cText(json, "analysisJSON")))
            }
            if let json = metadataJSON {
                try check(synap_transcript_request_set_metadata_json(r, cText(json, "metadataJSON")))
            }
            if let at = startedAt {
                try check(synap_transcript_request_set_started_at_us(r, microseconds(at)))
            }
            if let at = endedAt {
                try check(synap_transcript_request_set_ended_at_us(r, microseconds(at)))
            }
            for (level, value) in scope {
                try check(synap_transcript_request_add_scope_level(r, cText(level, "scope level"),
                                                                   cText(value, "scope[\(level)]")))
            }
        } catch {
            synap_transcript_request_free(r)
            throw error
        }
        return r
    }
}

/// An ingested transcript, copied out of libsynap: the job that turns it
/// into memories, followed with Client.status or Client.wait like a
/// created document's. A value the service left out is nil.
public struct TranscriptIngestion {
    /// The conversation's id as the service keeps it (a UUID): use it for
    /// later reads.
    public let conversationId: String?
    /// The conversation id you gave.
    public let externalConversationId: String?
    /// The ingestion job, for Client.status and Client.wait; the first
    /// push's job for a duplicate.
    public let ingestionId: String?
    /// "queued", or "duplicate" when the same transcript was ingested before.
    public let status: String?
    /// How many turns were recorded.
    public let turnsRecorded: Int?
    /// "in_progress", "already_compacted" or "skipped".
    public let summaryStatus: String?
    /// When the job was queued.
    public let queuedAt: Date?
    /// The service's warnings, as sent.
    public let warnings: [String]

    /// Whether the same transcript was ingested before (`status`
    /// "duplicate"): nothing new was queued.
    public var isDuplicate: Bool { status == "duplicate" }

    /// Copies a C ingestion; the caller still owns it.
    init(_ ingestion: OpaquePointer) {
        var whole: Int64 = 0
        var us: Int64 = 0
        conversationId = optionalString(synap_transcript_ingestion_conversation_id(ingestion))
        externalConversationId = optionalString(synap_transcript_ingestion_external_conversation_id(ingestion))
        ingestionId = optionalString(synap_transcript_ingestion_ingestion_id(ingestion))
        status = optionalString(synap_transcript_ingestion_status(ingestion))
        turnsRecorded = synap_transcript_ingestion_turns_recorded(ingestion, &whole) ? Int(clamping: whole) : nil
        summaryStatus = optionalString(synap_transcript_ingestion_summary_status(ingestion))
        queuedAt = synap_transcript_ingestion_queued_at_us(ingestion, &us) ? date(us) : nil
        warnings = strings(synap_transcript_ingestion_warning_count(ingestion)) {
            synap_transcript_ingestion_warning(ingestion, $0)
        }
    }
}

/// One stored message of a conversation, copied out of libsynap.
public struct ConversationMessage {
    /// Its place in the conversation, from 1.
    public let position: Int?
    /// Who spoke: "user" or "assistant".
    public let role: String?
    /// What was said.
    public let content: String?
    /// When.
    public let timestamp: Date?
    /// The message's id.
    public let messageId: String?

    /// Copies a message its page lends; the page still owns it.
    init(_ message: OpaquePointer) {
        var whole: Int64 = 0
        var us: Int64 = 0
        position = synap_conversation_message_position(message, &whole) ? Int(clamping: whole) : nil
        role = optionalString(synap_conversation_message_role(message))
        content = optionalString(synap_conversation_message_content(message))
        timestamp = synap_conversation_message_timestamp_us(message, &us) ? date(us) : nil
        messageId = optionalString(synap_conversation_message_id(message))
    }
}

/// How Client.compact compacts; nil (or false) leaves the service's
/// choice. A value libsynap refuses throws `.invalidArgument` before any
/// request.
public struct CompactOptions {
    /// "aggressive", "balanced", "conservative" or "adaptive".
    public var strategy: String?
    /// The size to compact to, in tokens.
    public var targetTokens: UInt32?
    /// Compacts even when the service thinks it needless. Default false.
    public var force: Bool

    /// Options with the given settings; the rest keep the defaults.
    public init(strategy: String? = nil, targetTokens: UInt32? = nil, force: Bool = false) {
        self.strategy = strategy
        self.targetTokens = targetTokens
        self.force = force
    }

    /// The C options; the caller frees them. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let o = synap_compact_options_new() else {
            throw SynapError.outOfMemory
        }
        do {
            if let strategy = strategy {
                try check(synap_compact_options_set_strategy(o, cText(strategy, "strategy")))
            }
            if let tokens = targetTokens {
                try check(synap_compact_options_set_target_tokens(o, tokens))
            }
            try check(synap_compact_options_set_force(o, force))
        } catch {
            synap_compact_options_free(o)
            throw error
        }
        return o
    }
}

/// A compaction the service started, copied out of libsynap. A value the
/// service left out is nil.
public struct Compaction {
    /// The compaction's id.
    public let compactionId: String?
    /// The conversation.
    public let conversationId: String?
    /// Its status, e.g. "in_progress".
    public let status: String?
    /// What started it, e.g. "manual_api".
    public let triggerType: String?
    /// When it started.
    public let initiatedAt: Date?
    /// How long it should take.
    public let estimatedCompletion: TimeInterval?
    /// The compaction it replaces.
    public let previousCompactionId: String?

    /// Copies a C compaction; the caller still owns it.
    init(_ compaction: OpaquePointer) {
        var us: Int64 = 0
        var seconds: Int64 = 0
        compactionId = optionalString(synap_compaction_id(compaction))
        conversationId = optionalString(synap_compaction_conversation_id(compaction))
        status = optionalString(synap_compaction_status(compaction))
        triggerType = optionalString(synap_compaction_trigger_type(compaction))
        initiatedAt = synap_compaction_initiated_at_us(compaction, &us) ? date(us) : nil
        estimatedCompletion = synap_compaction_estimated_completion_seconds(compaction, &seconds)
            ? TimeInterval(seconds) : nil
        previousCompactionId = optionalString(synap_compaction_previous_id(compaction))
    }
}

/// How Client.compacted reads; nil leaves the default. A value libsynap
/// refuses throws `.invalidArgument` before any request.
public struct CompactedOptions {
    /// "structured" (the default), "narrative" or "injection".
    public var format: String?
    /// The version to read, from 1; nil (or 0) reads the latest.
    public var version: UInt32?

    /// Options with the given settings; the rest keep the defaults.
    public init(format: String? = nil, version: UInt32? = nil) {
        self.format = format
        self.version = version
    }

    /// The C options; the caller frees them. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let o = synap_compacted_options_new() else {
            throw SynapError.outOfMemory
        }
        do {
            if let format = format {
                try check(synap_compacted_options_set_format(o, cText(format, "format")))
            }
            if let version = version {
                try check(synap_compacted_options_set_version(o, version))
            }
        } catch {
            synap_compacted_options_free(o)
            throw error
        }
        return o
    }
}

/// A conversation's compacted state, copied out of libsynap. A value the
/// service left out is nil.
public struct Compacted {
    /// The compaction's id.
    public let compactionId: String?
    /// The compacted history, in the format asked for.
    public let formattedContext: String?
    /// Tokens before compaction.
    public let originalTokenCount: Int?
    /// Tokens after.
    public let compactedTokenCount: Int?
    /// How much it shrank the history.
    public let compressionRatio: Double?
    /// The strategy applied ("balanced", "adaptive", ...).
    public let strategyUsed: String?
    /// The compaction's validation score.
    public let validationScore: Double?
    /// Whether it passed validation.
    public let validationPassed: Bool?
    /// Whether the service doubts its quality.
    public let qualityWarning: Bool?
    /// `facts` as JSON text.
    public let factsJSON: String?
    /// `decisions` as JSON text.
    public let decisionsJSON: String?
    /// `preferences` as JSON text.
    public let preferencesJSON: String?
    /// `current_state` as JSON text.
    public let currentStateJSON: String?
    /// How long it may be cached.
    public let ttl: TimeInterval?
    /// The response body as JSON text.
    public let rawJSON: String?

    /// Copies a C compacted state; the caller still owns it.
    init(_ compacted: OpaquePointer) {
        var whole: Int64 = 0
        var number: Double = 0
        var flag = false
        compactionId = optionalString(synap_compacted_id(compacted))
        formattedContext = optionalString(synap_compacted_formatted_context(compacted))
        originalTokenCount = synap_compacted_original_token_count(compacted, &whole) ? Int(clamping: whole) : nil
        compactedTokenCount = synap_compacted_compacted_token_count(compacted, &whole) ? Int(clamping: whole) : nil
        compressionRatio = synap_compacted_compression_ratio(compacted, &number) ? number : nil
        strategyUsed = optionalString(synap_compacted_strategy_used(compacted))
        validationScore = synap_compacted_validation_score(compacted, &number) ? number : nil
        validationPassed = synap_compacted_validation_passed(compacted, &flag) ? flag : nil
        qualityWarning = synap_compacted_quality_warning(compacted, &flag) ? flag : nil
        factsJSON = optionalString(synap_compacted_facts_json(compacted))
        decisionsJSON = optionalString(synap_compacted_decisions_json(compacted))
        preferencesJSON = optionalString(synap_compacted_preferences_json(compacted))
        currentStateJSON = optionalString(synap_compacted_current_state_json(compacted))
        ttl = synap_compacted_ttl_seconds(compacted, &whole) ? TimeInterval(whole) : nil
        rawJSON = optionalString(synap_compacted_raw_json(compacted))
    }
}

/// Where a conversation's compaction stands, copied out of libsynap. A
/// value the service left out is nil.
public struct CompactionStatus {
    /// The conversation.
    public let conversationId: String?
    /// The status as the service sent it ("completed", "in_progress", ...).
    public let status: String?
    /// The latest compaction's id.
    public let compactionId: String?
    /// When it completed.
    public let completedAt: Date?
    /// How much it shrank the history.
    public let compressionRatio: Double?
    /// Its validation score.
    public let validationScore: Double?
    /// How long a running one should still take.
    public let estimatedCompletion: TimeInterval?
    /// The latest version.
    public let latestVersion: Int?
    /// What went wrong, for a failed one.
    public let errorMessage: String?

    /// Copies a C compaction status; the caller still owns it.
    init(_ status: OpaquePointer) {
        var us: Int64 = 0
        var whole: Int64 = 0
        var number: Double = 0
        conversationId = optionalString(synap_compaction_status_conversation_id(status))
        self.status = optionalString(synap_compaction_status_state(status))
        compactionId = optionalString(synap_compaction_status_compaction_id(status))
        completedAt = synap_compaction_status_completed_at_us(status, &us) ? date(us) : nil
        compressionRatio = synap_compaction_status_compression_ratio(status, &number) ? number : nil
        validationScore = synap_compaction_status_validation_score(status, &number) ? number : nil
        estimatedCompletion = synap_compaction_status_estimated_completion_seconds(status, &whole)
            ? TimeInterval(whole) : nil
        latestVersion = synap_compaction_status_latest_version(status, &whole) ? Int(clamping: whole) : nil
        errorMessage = optionalString(synap_compaction_status_error_message(status))
    }
}

/// A memory's new document and how to merge it, for Client.update. nil
/// leaves the default; libsynap checks each value before any request and
/// throws `.invalidArgument` naming the field.
public struct UpdateRequest {
    /// The new document, as text or as a JSON object given as text.
    public var document: CreateRequest.Document
    /// "replace", "append" or "smart-merge" (the default).
    public var mergeStrategy: String?
    /// "ai-chat-conversation", "document", "email", "pdf", "image", "audio"
    /// or "meeting-transcript"; sent only when set.
    public var documentType: String?
    /// Metadata, a JSON object given as text; sent only when set ("{}"
    /// included).
    public var metadataJSON: String?

    /// An update to `document`; the rest keep the defaults.
    public init(document: CreateRequest.Document, mergeStrategy: String? = nil, documentType: String? = nil,
                metadataJSON: String? = nil) {
        self.document = document
        self.mergeStrategy = mergeStrategy
        self.documentType = documentType
        self.metadataJSON = metadataJSON
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let r = synap_update_request_new() else {
            throw SynapError.outOfMemory
        }
        do {
            switch document {
            case .text(let text):
                try check(synap_update_request_set_document_text(r, cText(text, "document")))
            case .json(let json):
                try check(synap_update_request_set_document_json(r, cText(json, "document")))
            }
            if let strategy = mergeStrategy {
                try check(synap_update_request_set_merge_strategy(r, cText(strategy, "mergeStrategy")))
            }
            if let documentType = documentType {
                try check(synap_update_request_set_document_type(r, cText(documentType, "documentType")))
            }
            if let json = metadataJSON {
                try check(synap_update_request_set_metadata_json(r, cText(json, "metadataJSON")))
            }
        } catch {
            synap_update_request_free(r)
            throw error
        }
        return r
    }
}

/// A memory Client.deleteMemory deleted, copied out of libsynap.
public struct DeletedMemory {
    /// The deleted memory's id, as the service gave it.
    public let memoryId: String?
    /// When it was deleted.
    public let deletedAt: Date?

    /// Copies a C answer; the caller still owns it.
    init(_ deleted: OpaquePointer) {
        var us: Int64 = 0
        memoryId = optionalString(synap_deleted_memory_id(deleted))
        deletedAt = synap_deleted_memory_deleted_at_us(deleted, &us) ? date(us) : nil
    }
}

/// What a forget request came to (SynapForgetOutcome in synap.h, with the
/// same values).
public enum ForgetOutcome: Int {
    /// A status this version does not know: read it as "not done".
    case unknown = 0
    /// No memory of the user matched; nothing changed.
    case nothingMatches = 1
    /// The matches were filed for a person to approve; nothing was deleted.
    case preview = 2
    /// Every match was deleted.
    case deleted = 3
    /// The matches are hidden, but the stores in `stillPresentIn` may still
    /// hold their text.
    case partial = 4
}

/// A request to forget one user's memories that match a description, for
/// Client.forget. nil (or empty) leaves the default; libsynap checks each
/// value before any request and throws `.invalidArgument` naming the field.
public struct ForgetRequest {
    /// What to forget, in words: 3 to 500 characters.
    public var description: String
    /// The user whose memories are searched; any text but "".
    public var userId: String
    /// The user's customer, required on a B2B instance; refused on a B2C
    /// instance once whoami() has reported it.
    public var customerId: String?
    /// Levels between customer and user, e.g. ["team": "payments"].
    public var scope: [String: String]
    /// "preview" (the default: the matches are filed for a person to
    /// approve, nothing is deleted) or "direct" (deleted at once).
    public var mode: String?

    /// A request to forget what `description` says of `userId`; the rest
    /// keep the defaults.
    public init(description: String, userId: String, customerId: String? = nil, scope: [String: String] = [:],
                mode: String? = nil) {
        self.description = description
        self.userId = userId
        self.customerId = customerId
        self.scope = scope
        self.mode = mode
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let r = synap_forget_request_new() else {
            throw SynapError.outOfMemory
        }
        do {
            try check(synap_forget_request_set_description(r, cText(description, "description")))
            try check(synap_forget_request_set_user_id(r, cText(userId, "userId")))
            if let id = customerId {
                try check(synap_forget_request_set_customer_id(r, cText(id, "customerId")))
            }
            for (level, value) in scope {
                try check(synap_forget_request_add_scope_level(r, cText(level, "scope level"),
                                                               cText(value, "scope[\(level)]")))
            }
            if let mode = mode {
                try check(synap_forget_request_set_mode(r, cText(mode, "mode")))
            }
        } catch {
            synap_forget_request_free(r)
            throw error
        }
        return r
    }
}

/// What Client.forget came to, copied out of libsynap. Read `outcome`:
/// `.partial` is not `.deleted`.
public struct ForgetResult {
    /// A memory the request matched.
    public struct Candidate {
        /// The memory's id.
        public let memoryId: String?
        /// What it says.
        public let content: String?
        /// Its type: "fact", "preference", ...
        public let memoryType: String?
        /// Where it lives: "memory", "chunk", "sentence", "entity",
        /// "triple", "profile" or "candidate".
        public let store: String?
    }

    /// The outcome the status names; `.unknown` for one this version does
    /// not know.
    public let outcome: ForgetOutcome
    /// The status as the service sent it.
    public let status: String?
    /// The request filed for approval (preview mode).
    public let requestId: String?
    /// The memories that matched, in the order sent.
    public let candidates: [Candidate]
    /// The ids of the memories deleted.
    public let deletedIds: [String]
    /// The ids of the matched memories that could not be deleted.
    public let failedIds: [String]
    /// The stores that may still hold the text (a partial outcome).
    public let stillPresentIn: [String]
    /// Whether the service says the matcher may have missed some memories.
    public let mayBeIncomplete: Bool

    /// Copies a C answer; the caller still owns it.
    init(_ result: OpaquePointer) {
        outcome = ForgetOutcome(rawValue: Int(synap_forget_result_outcome(result).rawValue)) ?? .unknown
        status = optionalString(synap_forget_result_status(result))
        requestId = optionalString(synap_forget_result_request_id(result))
        candidates = (0..<synap_forget_result_candidate_count(result)).map { i -> Candidate in
            Candidate(memoryId: optionalString(synap_forget_result_candidate_memory_id(result, i)),
                      content: optionalString(synap_forget_result_candidate_content(result, i)),
                      memoryType: optionalString(synap_forget_result_candidate_memory_type(result, i)),
                      store: optionalString(synap_forget_result_candidate_store(result, i)))
        }
        deletedIds = strings(synap_forget_result_deleted_count(result)) { synap_forget_result_deleted_id(result, $0) }
        failedIds = strings(synap_forget_result_failed_count(result)) { synap_forget_result_failed_id(result, $0) }
        stillPresentIn = strings(synap_forget_result_still_present_count(result)) {
            synap_forget_result_still_present_in(result, $0)
        }
        mayBeIncomplete = synap_forget_result_may_be_incomplete(result)
    }
}

/// One upload for Client.upload: a file, bytes or text, for one user,
/// ingested as a document. nil (or empty) leaves the default; libsynap
/// checks each value before any request and throws `.invalidArgument`
/// naming the field.
public struct UploadRequest {
    /// What to upload.
    public enum Source {
        /// The file at this path, opened when the upload is sent and
        /// streamed, never read whole into memory. One that cannot be
        /// read, or changes size while it is sent, throws `.file`.
        case file(path: String)
        /// These bytes (copied), sent as a file named `filename` ("upload"
        /// unless set).
        case bytes(Data)
        /// Text, sent with no file part.
        case text(String)
    }

    /// The user the document belongs to; any text but "".
    public var userId: String
    /// The file, bytes or text.
    public var source: Source
    /// The customer on a B2B instance.
    public var customerId: String?
    /// "b2c" or "b2b"; nil: "b2b" when `customerId` is set, else "b2c".
    public var relationshipType: String?
    /// "long-range" (the default) or "fast".
    public var mode: String?
    /// "ai-chat-conversation", "document", "email", "pdf", "image", "audio"
    /// or "meeting-transcript"; sent only when set.
    public var documentType: String?
    /// Metadata, a JSON object given as text.
    public var metadataJSON: String?
    /// Levels between customer and user, e.g. ["team": "payments"].
    public var scope: [String: String]
    /// The file name the service is told; nil: the file's own name, or
    /// "upload" for bytes.
    public var filename: String?
    /// The file's content type; nil: guessed from the file name
    /// ("notes.pdf" is "application/pdf"), else "application/octet-stream".
    public var contentType: String?

    /// An upload of `source` for `userId`; the rest keep the defaults.
    public init(userId: String, source: Source, customerId: String? = nil, relationshipType: String? = nil,
                mode: String? = nil, documentType: String? = nil, metadataJSON: String? = nil,
                scope: [String: String] = [:], filename: String? = nil, contentType: String? = nil) {
        self.userId = userId
        self.source = source
        self.customerId = customerId
        self.relationshipType = relationshipType
        self.mode = mode
        self.documentType = documentType
        self.metadataJSON = metadataJSON
        self.scope = scope
        self.filename = filename
        self.contentType = contentType
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let r = synap_upload_request_new() else {
            throw SynapError.outOfMemory
        }
        do {
            try check(synap_upload_request_set_user_id(r, cText(userId, "userId")))
            if let id = customerId {
                try check(synap_upload_request_set_customer_id(r, cText(id, "customerId")))
            }
            if let kind = relationshipType {
                try check(synap_upload_request_set_relationship_type(r, cText(kind, "relationshipType")))
            }
            if let mode = mode {
                try check(synap_upload_request_set_mode(r, cText(mode, "mode")))
            }
            if let documentType = documentType {
                try check(synap_upload_request_set_document_type(r, cText(documentType, "documentType")))
            }
            if let json = metadataJSON {
                try check(synap_upload_request_set_metadata_json(r, cText(json, "metadataJSON")))
            }
            for (level, value) in scope {
                try check(synap_upload_request_add_scope_level(r, cText(level, "scope level"),
                                                               cText(value, "scope[\(level)]")))
            }
            switch source {
            case .file(let path):
                try check(synap_upload_request_set_file(r, cText(path, "file path")))
            case .bytes(let data):
                // Any bytes, NUL included: passed with their length, not as a C string.
                try data.withUnsafeBytes { raw in
                    try check(synap_upload_request_set_bytes(r, raw.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                             raw.count))
                }
            case .text(let text):
                try check(synap_upload_request_set_text(r, cText(text, "text")))
            }
            if let name = filename {
                try check(synap_upload_request_set_filename(r, cText(name, "filename")))
            }
            if let type = contentType {
                try check(synap_upload_request_set_content_type(r, cText(type, "contentType")))
            }
        } catch {
            synap_upload_request_free(r)
            throw error
        }
        return r
    }
}

/// What a data deletion removes (SynapDeleteScope in synap.h, with the same
/// values).
public enum DeleteScope: Int {
    /// One user: memories, conversations, profile.
    case user = 0
    /// One conversation: its turns, summaries and buffer; the memories made
    /// from it are kept.
    case conversation = 1
    /// One customer and all its users (needs a management key).
    case customer = 2
}

/// A permanent deletion of one user's, conversation's or customer's data,
/// for Client.deleteData. Unless it is a dry run, `confirm` must repeat
/// `id`: the service requires that second, deliberate naming of what goes.
/// libsynap checks each value before any request and throws
/// `.invalidArgument` naming the field.
public struct DataDeleteRequest {
    /// What goes.
    public var scope: DeleteScope
    /// The scope's own id: the user's, the conversation's or the customer's.
    public var id: String
    /// The customer the user or conversation belongs to (B2B instances);
    /// refused for the customer scope.
    public var customerId: String?
    /// The user a conversation belongs to (conversation scope only).
    public var userId: String?
    /// A dry run deletes nothing and counts what would go; it needs no
    /// confirmation. Default false.
    public var dryRun: Bool
    /// The confirmation: `id` again.
    public var confirm: String?

    /// A deletion of `scope` whose own id is `id`; the rest keep the
    /// defaults.
    public init(scope: DeleteScope, id: String, customerId: String? = nil, userId: String? = nil,
                dryRun: Bool = false, confirm: String? = nil) {
        self.scope = scope
        self.id = id
        self.customerId = customerId
        self.userId = userId
        self.dryRun = dryRun
        self.confirm = confirm
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        var out: OpaquePointer?
        try check(synap_data_delete_request_new(Int32(scope.rawValue), cText(id, "id"), &out))
        let r = out!
        do {
            if let customer = customerId {
                try check(synap_data_delete_request_set_customer_id(r, cText(customer, "customerId")))
            }
            if let user = userId {
                try check(synap_data_delete_request_set_user_id(r, cText(user, "userId")))
            }
            try check(synap_data_delete_request_set_dry_run(r, dryRun))
            if let confirmation = confirm {
                try check(synap_data_delete_request_set_confirm(r, cText(confirmation, "confirm")))
            }
        } catch {
            synap_data_delete_request_free(r)
            throw error
        }
        return r
    }
}

/// Where a data deletion stands (SynapDeletionState in synap.h, with the
/// same values).
public enum DeletionState: Int {
    /// No status, or one this version does not know: read it as not done.
    case unknown = 0
    /// Still running: wait with Client.waitForDeletion.
    case inProgress = 1
    /// Done; `fullyRemoved` says whether every store is clear.
    case complete = 2
    /// Ended, but the stores in `stillPresentIn` still hold data.
    case partial = 3
    /// A dry run: nothing was deleted; the counts say what would be.
    case dryRun = 4
}

/// A data deletion's record, copied out of libsynap: its state, what was
/// removed and what is still present.
public struct DataDeletion {
    /// The deletion's id, for Client.deletionStatus and
    /// Client.waitForDeletion; nil on a dry run.
    public let deletionId: String?
    /// Where it stands.
    public let state: DeletionState
    /// The status as the service sent it ("complete", "in_progress", ...).
    public let status: String?
    /// The scope: "user", "conversation" or "customer".
    public let scope: String?
    /// Whether this was a dry run.
    public let isDryRun: Bool
    /// Whether the target existed.
    public let found: Bool
    /// True only when the service says nothing of the target is left in any
    /// store.
    public let fullyRemoved: Bool
    /// Whether the memories made from a deleted conversation were kept.
    public let memoriesKept: Bool
    /// How much went (on a dry run: would go) from each store, e.g.
    /// `counts["memories"]`; a count the service gave without a number is
    /// left out.
    public let counts: [String: Int]
    /// The stores that still hold data of the target.
    public let stillPresentIn: [String]
    /// The kinds of data the deletion keeps on purpose.
    public let kept: [String]
    /// Per-store detail, a JSON object as text.
    public let storesJSON: String?
    /// A note from the service.
    public let note: String?
    /// The audit record's reference.
    public let audit: String?
    /// The whole record as the service sent it, keys this version does not
    /// read included.
    public let json: String?

    /// Whether it has ended: complete, partial or a dry run.
    public var isDone: Bool { state == .complete || state == .partial || state == .dryRun }

    /// Copies a C record, owned by the caller or lent to a progress
    /// callback; its owner still owns it.
    init(_ deletion: OpaquePointer) {
        deletionId = optionalString(synap_data_deletion_id(deletion))
        state = DeletionState(rawValue: Int(synap_data_deletion_state(deletion).rawValue)) ?? .unknown
        status = optionalString(synap_data_deletion_status_text(deletion))
        scope = optionalString(synap_data_deletion_scope(deletion))
        isDryRun = synap_data_deletion_is_dry_run(deletion)
        found = synap_data_deletion_found(deletion)
        fullyRemoved = synap_data_deletion_fully_removed(deletion)
        memoriesKept = synap_data_deletion_memories_kept(deletion)
        var byStore: [String: Int] = [:]
        for i in 0..<synap_data_deletion_count_count(deletion) {
            var value: Int64 = 0
            if let store = optionalString(synap_data_deletion_count_store(deletion, i)),
               synap_data_deletion_count_value(deletion, i, &value) {
                byStore[store] = Int(clamping: value)
            }
        }
        counts = byStore
        stillPresentIn = strings(synap_data_deletion_still_present_count(deletion)) {
            synap_data_deletion_still_present_in(deletion, $0)
        }
        kept = strings(synap_data_deletion_kept_count(deletion)) { synap_data_deletion_kept(deletion, $0) }
        storesJSON = optionalString(synap_data_deletion_stores_json(deletion))
        note = optionalString(synap_data_deletion_note(deletion))
        audit = optionalString(synap_data_deletion_audit(deletion))
        json = optionalString(synap_data_deletion_json(deletion))
    }
}

// The credits calls follow an unconfirmed wire format: the reference SDK
// has never sent these requests, and libsynap sends and reads what that
// SDK's code describes.

/// The account's credit balance, copied out of libsynap (unconfirmed wire
/// format).
public struct CreditBalance {
    /// One source of credits.
    public struct Bucket {
        /// What granted it: "grant", "purchase", ...
        public let sourceType: String?
        /// Credits left in it.
        public let credits: Double?
        /// When its credits expire.
        public let expiresAt: Date?
    }

    /// Credits left.
    public let credits: Double
    /// The account.
    public let clientId: String?
    /// Whether the service warns that the balance is low.
    public let warningLow: Bool
    /// Where the credits come from, in the order sent.
    public let buckets: [Bucket]

    /// Copies a C balance; the caller still owns it.
    init(_ balance: OpaquePointer) {
        credits = synap_credit_balance_credits(balance)
        clientId = optionalString(synap_credit_balance_client_id(balance))
        warningLow = synap_credit_balance_warning_low(balance)
        buckets = (0..<synap_credit_balance_bucket_count(balance)).map { i -> Bucket in
            var number: Double = 0
            var us: Int64 = 0
            return Bucket(sourceType: optionalString(synap_credit_balance_bucket_source_type(balance, i)),
                          credits: synap_credit_balance_bucket_credits(balance, i, &number) ? number : nil,
                          expiresAt: synap_credit_balance_bucket_expires_at_us(balance, i, &us) ? date(us) : nil)
        }
    }
}

/// Which ledger rows Client.creditLedger reads: a page of `limit` rows (100
/// unless set) from `offset` (0), optionally of one entry type and within a
/// time range. A value libsynap refuses throws `.invalidArgument` before
/// any request.
public struct LedgerQuery {
    /// Only rows of this type ("usage", "redeem", ...).
    public var entryType: String?
    /// Only rows at or after this time.
    public var from: Date?
    /// Only rows before this time.
    public var to: Date?
    /// Rows per page, 1 to 500.
    public var limit: UInt32?
    /// Rows to skip.
    public var offset: UInt64?

    /// A query with the given settings; the rest keep the defaults.
    public init(entryType: String? = nil, from: Date? = nil, to: Date? = nil, limit: UInt32? = nil,
                offset: UInt64? = nil) {
        self.entryType = entryType
        self.from = from
        self.to = to
        self.limit = limit
        self.offset = offset
    }

    /// The C query; the caller frees it. A refused value throws, the handle
    /// already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let q = synap_ledger_query_new() else {
            throw SynapError.outOfMemory
        }
        do {
            if let type = entryType {
                try check(synap_ledger_query_set_entry_type(q, cText(type, "entryType")))
            }
            if let at = from {
                try check(synap_ledger_query_set_from_us(q, microseconds(at)))
            }
            if let at = to {
                try check(synap_ledger_query_set_to_us(q, microseconds(at)))
            }
            if let n = limit {
                try check(synap_ledger_query_set_limit(q, n))
            }
            if let n = offset {
                try check(synap_ledger_query_set_offset(q, n))
            }
        } catch {
            synap_ledger_query_free(q)
            throw error
        }
        return q
    }
}

/// One page of the credit ledger, newest first, copied out of libsynap
/// (unconfirmed wire format).
public struct LedgerPage {
    /// One row of the ledger.
    public struct Entry {
        /// The row's id.
        public let entryId: String?
        /// Its type: "usage", "redeem", "grant", ...
        public let entryType: String?
        /// Credits added (positive) or spent (negative).
        public let delta: Double?
        /// What it metered.
        public let metricType: String?
        /// Its usage category.
        public let category: String?
        /// When it was written.
        public let createdAt: Date?
    }

    /// The rows, newest first.
    public let entries: [Entry]
    /// Rows matching the query over all pages.
    public let total: Int?
    /// The page size the service used.
    public let limit: Int?
    /// The offset of this page.
    public let offset: Int?

    /// Copies a C page; the caller still owns it.
    init(_ page: OpaquePointer) {
        var whole: Int64 = 0
        entries = (0..<synap_ledger_page_count(page)).map { i -> Entry in
            var number: Double = 0
            var us: Int64 = 0
            return Entry(entryId: optionalString(synap_ledger_page_entry_id(page, i)),
                         entryType: optionalString(synap_ledger_page_entry_type(page, i)),
                         delta: synap_ledger_page_entry_delta(page, i, &number) ? number : nil,
                         metricType: optionalString(synap_ledger_page_entry_metric_type(page, i)),
                         category: optionalString(synap_ledger_page_entry_category(page, i)),
                         createdAt: synap_ledger_page_entry_created_at_us(page, i, &us) ? date(us) : nil)
        }
        total = synap_ledger_page_total(page, &whole) ? Int(clamping: whole) : nil
        limit = synap_ledger_page_limit(page, &whole) ? Int(clamping: whole) : nil
        offset = synap_ledger_page_offset(page, &whole) ? Int(clamping: whole) : nil
    }
}

/// What Client.estimateCredits prices. libsynap checks each value before
/// any request and throws `.invalidArgument` naming the field.
public struct EstimateRequest {
    /// What is metered, e.g. "llm_input_tokens".
    public var metricType: String
    /// How many units: finite and not negative.
    public var units: Double
    /// How many items the units are spread over.
    public var itemCount: UInt64?
    /// The route the usage would go to.
    public var endpoint: String?
    /// The mode the usage would run in, e.g. "fast".
    public var mode: String?

    /// An estimate of `units` of `metricType`; the rest left out.
    public init(metricType: String, units: Double, itemCount: UInt64? = nil, endpoint: String? = nil,
                mode: String? = nil) {
        self.metricType = metricType
        self.units = units
        self.itemCount = itemCount
        self.endpoint = endpoint
        self.mode = mode
    }

    /// The C request; the caller frees it. A refused value throws, the
    /// handle already freed.
    fileprivate func handle() throws -> OpaquePointer {
        guard let r = synap_estimate_request_new() else {
            throw SynapError.outOfMemory
        }
        do {
            try check(synap_estimate_request_set_metric_type(r, cText(metricType, "metricType")))
            try check(synap_estimate_request_set_units(r, units))
            if let n = itemCount {
                try check(synap_estimate_request_set_item_count(r, n))
            }
            if let endpoint = endpoint {
                try check(synap_estimate_request_set_endpoint(r, cText(endpoint, "endpoint")))
            }
            if let mode = mode {
                try check(synap_estimate_request_set_mode(r, cText(mode, "mode")))
            }
        } catch {
            synap_estimate_request_free(r)
            throw error
        }
        return r
    }
}

/// A redeemed credit code, copied out of libsynap (unconfirmed wire format).
public struct Redemption {
    /// The redemption's id.
    public let redemptionId: String?
    /// Credits the code granted.
    public let creditsGranted: Double?
    /// The balance after the code.
    public let newBalance: Double?
    /// When the granted credits expire.
    public let expiresAt: Date?

    /// Copies a C redemption; the caller still owns it.
    init(_ redemption: OpaquePointer) {
        var number: Double = 0
        var us: Int64 = 0
        redemptionId = optionalString(synap_redemption_id(redemption))
        creditsGranted = synap_redemption_credits_granted(redemption, &number) ? number : nil
        newBalance = synap_redemption_new_balance(redemption, &number) ? number : nil
        expiresAt = synap_redemption_expires_at_us(redemption, &us) ? date(us) : nil
    }
}

/// A connection to the Synap service; share one between threads.
public final class Client: @unchecked Sendable {
    private let handle: OpaquePointer

    /// A client with `apiKey` (nil reads SYNAP_API_KEY) and `options`.
    public init(apiKey: String? = nil, options: ClientOptions = ClientOptions()) throws {
        let key = try cText(apiKey ?? "", "apiKey")
        guard let o = synap_options_new() else {
            throw SynapError.outOfMemory
        }
        defer { synap_options_free(o) }
        if let url = options.baseURL {
            try check(synap_options_set_base_url(o, cText(url, "baseURL")))
        }
        if let t = options.connectTimeout {
            try check(synap_options_set_connect_timeout_ms(o, milliseconds(t)))
        }
        if let t = options.requestTimeout {
            try check(synap_options_set_request_timeout_ms(o, milliseconds(t)))
        }
        if let n = options.maxBodyBytes {
            try check(synap_options_set_max_body_bytes(o, n))
        }
        if let t = options.deadline {
            try check(synap_options_set_deadline_ms(o, milliseconds(t)))
        }
        if let n = options.maxAttempts {
            try check(synap_options_set_max_attempts(o, n))
        }
        if let b = options.retryBackoff {
            try check(synap_options_set_retry_backoff_ms(o, milliseconds(b.base), milliseconds(b.cap)))
        }
        if let url = options.proxy {
            try check(synap_options_set_proxy(o, cText(url, "proxy")))
        }
        if let path = options.caFile {
            try check(synap_options_set_ca_file(o, cText(path, "caFile")))
        }
        try check(synap_options_set_system_roots(o, options.systemRoots))
        try check(synap_options_set_allow_insecure_http(o, options.allowInsecureHTTP))
        var out: OpaquePointer?
        try check(synap_client_new(key, o, &out))
        handle = out!
    }

    deinit {
        synap_client_free(handle)
    }

    /// The job's status now (memories.status).
    public func status(_ ingestionId: String) throws -> MemoryStatus {
        var out: OpaquePointer?
        try check(synap_memories_status(handle, cText(ingestionId, "ingestionId"), &out))
        defer { synap_status_free(out) }
        return MemoryStatus(out!)
    }

    /// Polls until the job is completed, failed or partial_success and
    /// returns that status (a failed job is a status, not an error). Throws
    /// `.timeout` once `options.timeout` has passed, `.cancelled` if
    /// `options.cancel` is triggered or `options.progress` returns false,
    /// or the error a poll ended with after its retries.
    public func wait(_ ingestionId: String, options: WaitOptions = WaitOptions()) throws -> MemoryStatus {
        let id = try cText(ingestionId, "ingestionId")
        var out: OpaquePointer?
        try options.withHandle { o in
            try check(synap_memories_wait(handle, id, o, &out))
        }
        defer { synap_status_free(out) }
        return MemoryStatus(out!)
    }

    /// Queues one document for ingestion (memories.create) and returns the
    /// job to follow. Not retried once the request may have reached the
    /// service; set `documentId` to make repeating it safe.
    public func create(_ request: CreateRequest) throws -> Ingestion {
        let r = try request.handle()
        defer { synap_create_request_free(r) }
        var out: OpaquePointer?
        try check(synap_memories_create(handle, r, &out))
        defer { synap_ingestion_free(out) }
        return Ingestion(out!)
    }

    /// Queues many documents in one request (memories.batch). With
    /// `failFast` the service refuses the whole batch at the first invalid
    /// document (`.invalidRequest`); without it the invalid ones come back
    /// as refused results while the rest are queued.
    public func batchCreate(_ requests: [CreateRequest], failFast: Bool = false) throws -> Batch {
        var handles: [OpaquePointer?] = []
        handles.reserveCapacity(requests.count)
        defer { handles.forEach { synap_create_request_free($0) } }
        for request in requests {
            let r = try request.handle()
            handles.append(r)
        }
        var out: OpaquePointer?
        try check(synap_memories_batch_create(handle, handles, handles.count, failFast, &out))
        defer { synap_batch_free(out) }
        return Batch(out!)
    }

    /// One memory by id (memories.get), e.g. from `MemoryStatus.memoryIds`.
    /// Throws `.notFound` for an id unknown or outside the key's scope.
    public func get(_ memoryId: String) throws -> Memory {
        var out: OpaquePointer?
        try check(synap_memories_get(handle, cText(memoryId, "memoryId"), &out))
        defer { synap_memory_free(out) }
        return Memory(out!)
    }

    /// The account behind the API key. Afterwards this client's requests
    /// carry its ids, and a `customerId` is refused locally on a B2C instance.
    public func whoami() throws -> Identity {
        var out: OpaquePointer?
        try check(synap_client_whoami(handle, &out))
        defer { synap_identity_free(out) }
        return Identity(out!)
    }

    /// Waits for many jobs at once, polling at most `options.maxInFlight`
    /// at a time, and returns one result per id, in order, with the counts
    /// per final state. A job's own failure (a malformed id, the timeout, a
    /// cancel, a status error) is its result; only a refused call (a
    /// refused option, or an id holding a NUL byte) throws.
    public func waitAll(_ ingestionIds: [String], options: WaitOptions = WaitOptions()) throws -> WaitAllResults {
        let checked = try ingestionIds.enumerated().map { try cText($0.element, "ingestionIds[\($0.offset)]") }
        let copies: [UnsafeMutablePointer<CChar>?] = checked.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let ids: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        var out: OpaquePointer?
        try options.withHandle { o in
            try check(synap_memories_wait_all(handle, ids, ids.count, o, &out))
        }
        defer { synap_wait_all_free(out) }
        return WaitAllResults(out!)
    }

    /// What Synap remembers for `request` (context.fetch): the memories of
    /// its scope relevant to its queries, with the conversation's state and
    /// the retrieval block. Without a query, a conversation fetch answers
    /// with the conversation's state (`source` "conversation_state") and a
    /// user fetch with the user's profile when there is one (`source`
    /// "profile"). Throws `.invalidArgument` for a value refused locally or
    /// the scope's id missing, before any request; `.invalidRequest` for one
    /// the service refused.
    public func fetchContext(_ request: ContextRequest) throws -> Context {
        let r = try request.handle()
        defer { synap_context_request_free(r) }
        var out: OpaquePointer?
        try check(synap_context_fetch(handle, r, &out))
        defer { synap_context_free(out) }
        return Context(out!)
    }

    /// What the service has learnt of a user: overview and attributes.
    /// `userId` may hold any text (`/`, `?` and `#` reach the service
    /// intact); `customerId` is the user's customer on a B2B instance.
    /// Throws `.notFound` while the user has no profile.
    public func userProfile(_ userId: String, customerId: String? = nil) throws -> Profile {
        let user = try cText(userId, "userId")
        let customer = try customerId.map { try cText($0, "customerId") }
        var out: OpaquePointer?
        try withOptionalCString(customer) { c in
            try check(synap_user_profile(handle, user, c, &out))
        }
        defer { synap_profile_free(out) }
        return Profile(out!)
    }

    /// A conversation's prompt-ready context (context-for-prompt): its
    /// compacted history and every message after the cut-off. `style` is
    /// "structured" (the default), "narrative" or "bullet_points"; another
    /// value, or a conversation id that is not a UUID, throws
    /// `.invalidArgument` before any request.
    public func promptContext(_ conversationId: String, style: String? = nil) throws -> PromptContext {
        let id = try cText(conversationId, "conversationId")
        guard let o = synap_prompt_options_new() else {
            throw SynapError.outOfMemory
        }
        defer { synap_prompt_options_free(o) }
        if let style = style {
            try check(synap_prompt_options_set_style(o, cText(style, "style")))
        }
        var out: OpaquePointer?
        try check(synap_conversation_prompt_context(handle, id, o, &out))
        defer { synap_prompt_context_free(out) }
        return PromptContext(out!)
    }

    /// Records one message of a conversation (conversation.record_message).
    /// `message.userId` is required. Throws `.invalidArgument` for a value
    /// refused locally (a conversation id that is not a UUID, a role other
    /// than "user" or "assistant", no user), before any request.
    ///
    /// Not idempotent: libsynap resends it only when the failure proves it
    /// had no effect (a refused connection, HTTP 429, HTTP 503); after a
    /// timeout, a dropped connection or another 5xx it throws, and the
    /// message may have been recorded.
    public func recordMessage(_ message: Message) throws -> RecordedMessage {
        let r = try message.handle()
        defer { synap_message_request_free(r) }
        var out: OpaquePointer?
        try check(synap_conversation_record_message(handle, r, &out))
        defer { synap_recorded_message_free(out) }
        return RecordedMessage(out!)
    }

    /// Records several messages in one request (at least one). A message
    /// the service refuses is a `refusals` entry of the batch and the
    /// others are stored. Not idempotent: resent only as recordMessage is.
    public func recordMessages(_ messages: [Message]) throws -> MessageBatch {
        var handles: [OpaquePointer?] = []
        handles.reserveCapacity(messages.count)
        defer { handles.forEach { synap_message_request_free($0) } }
        for message in messages {
            let r = try message.handle()
            handles.append(r)
        }
        var out: OpaquePointer?
        try check(synap_conversation_record_messages(handle, handles, handles.count, &out))
        defer { synap_message_batch_free(out) }
        return MessageBatch(out!)
    }

    /// Ingests a finished conversation and returns the job that turns it
    /// into memories. The same transcript again comes back as a duplicate
    /// of the first job (`isDuplicate`); another transcript under the same
    /// conversation id throws `.conflict`. Not idempotent on the wire, but
    /// repeating it yourself is safe: it is a duplicate.
    public func ingestTranscript(_ transcript: Transcript) throws -> TranscriptIngestion {
        let r = try transcript.handle()
        defer { synap_transcript_request_free(r) }
        var out: OpaquePointer?
        try check(synap_conversation_ingest(handle, r, &out))
        defer { synap_transcript_ingestion_free(out) }
        return TranscriptIngestion(out!)
    }

    /// One page of a conversation's messages, oldest first: at most
    /// `limit` (1 to 500) from position `start` (1 is the first). A page
    /// with fewer than `limit` is the last; the next starts at
    /// `start + limit`.
    public func messages(_ conversationId: String, start: UInt32 = 1,
                         limit: UInt32 = 500) throws -> [ConversationMessage] {
        var out: OpaquePointer?
        try check(synap_conversation_messages(handle, cText(conversationId, "conversationId"), start, limit, &out))
        defer { synap_message_page_free(out) }
        let page = out!
        return (0..<synap_message_page_count(page)).map { ConversationMessage(synap_message_page_message(page, $0)) }
    }

    /// Starts compacting a conversation: a job that ends with a summary and
    /// a cut-off. Follow it with compactionStatus(_:), then read
    /// compacted(_:options:). One already running throws `.conflict`. Not
    /// idempotent: resent only when the failure proves it had no effect.
    public func compact(_ conversationId: String, options: CompactOptions = CompactOptions()) throws -> Compaction {
        let id = try cText(conversationId, "conversationId")
        let o = try options.handle()
        defer { synap_compact_options_free(o) }
        var out: OpaquePointer?
        try check(synap_conversation_compact(handle, id, o, &out))
        defer { synap_compaction_free(out) }
        return Compaction(out!)
    }

    /// A conversation's compacted state, or nil while it has not been
    /// compacted yet, or when the version asked for does not exist (the
    /// service's 404 here is "none yet", not an error).
    public func compacted(_ conversationId: String,
                          options: CompactedOptions = CompactedOptions()) throws -> Compacted? {
        let id = try cText(conversationId, "conversationId")
        let o = try options.handle()
        defer { synap_compacted_options_free(o) }
        var out: OpaquePointer?
        try check(synap_conversation_compacted(handle, id, o, &out))
        guard let compacted = out else {
            return nil
        }
        defer { synap_compacted_free(compacted) }
        return Compacted(compacted)
    }

    /// Where a conversation's compaction stands.
    public func compactionStatus(_ conversationId: String) throws -> CompactionStatus {
        var out: OpaquePointer?
        try check(synap_conversation_compaction_status(handle, cText(conversationId, "conversationId"), &out))
        defer { synap_compaction_status_free(out) }
        return CompactionStatus(out!)
    }

    /// Updates one memory (memories.update) and returns it as the service
    /// now holds it. Throws `.notFound` for a memory unknown or deleted,
    /// `.invalidArgument` for an id that is not a UUID. Not idempotent (an
    /// "append" sent twice appends twice): resent only when the failure
    /// proves it had no effect.
    public func update(_ memoryId: String, with request: UpdateRequest) throws -> Memory {
        let id = try cText(memoryId, "memoryId")
        let r = try request.handle()
        defer { synap_update_request_free(r) }
        var out: OpaquePointer?
        try check(synap_memories_update(handle, id, r, &out))
        defer { synap_memory_free(out) }
        return Memory(out!)
    }

    /// Deletes one memory (memories.delete): `get` and context fetches no
    /// longer return it. Throws `.notFound` for a memory unknown or already
    /// deleted. Idempotent: retried as reads are.
    public func deleteMemory(_ memoryId: String) throws -> DeletedMemory {
        var out: OpaquePointer?
        try check(synap_memories_delete(handle, cText(memoryId, "memoryId"), &out))
        defer { synap_deleted_memory_free(out) }
        return DeletedMemory(out!)
    }

    /// Forgets one user's memories that match a description
    /// (memories.forget): in preview mode they are filed for approval, in
    /// direct mode deleted. Read `outcome`. Not idempotent: resent only
    /// when the failure proves it had no effect.
    public func forget(_ request: ForgetRequest) throws -> ForgetResult {
        let r = try request.handle()
        defer { synap_forget_request_free(r) }
        var out: OpaquePointer?
        try check(synap_memories_forget(handle, r, &out))
        defer { synap_forget_result_free(out) }
        return ForgetResult(out!)
    }

    /// Uploads a file, bytes or text as one document (memories.upload) and
    /// returns its ingestion job, to follow with `wait`. A file is
    /// streamed, so the whole upload must fit the request timeout (raise
    /// it for large files). Throws `.file` for a file that cannot be opened
    /// or read, or changes size while it is sent (the service never gets it
    /// as whole), `.invalidRequest` for one the service refuses (HTTP 413
    /// included). Not idempotent: resent only when the failure proves it
    /// had no effect.
    public func upload(_ request: UploadRequest) throws -> Ingestion {
        let r = try request.handle()
        defer { synap_upload_request_free(r) }
        var out: OpaquePointer?
        try check(synap_memories_upload(handle, r, &out))
        defer { synap_ingestion_free(out) }
        return Ingestion(out!)
    }

    /// Deletes, permanently, everything stored about one user, conversation
    /// or customer (data.delete), sending the request again while the
    /// service asks to continue. The record may still be `.inProgress`:
    /// wait for its `deletionId` with `waitForDeletion`. Throws
    /// `.invalidArgument` for a missing or mismatched confirmation, before
    /// any request; `.auth` for the customer scope without a management
    /// key; `.conflict` for an id of another customer.
    public func deleteData(_ request: DataDeleteRequest) throws -> DataDeletion {
        let r = try request.handle()
        defer { synap_data_delete_request_free(r) }
        var out: OpaquePointer?
        try check(synap_data_delete(handle, r, &out))
        defer { synap_data_deletion_free(out) }
        return DataDeletion(out!)
    }

    /// A deletion's audit record now (data.status); `.notFound` for an
    /// unknown id.
    public func deletionStatus(_ deletionId: String) throws -> DataDeletion {
        var out: OpaquePointer?
        try check(synap_data_deletion_status(handle, cText(deletionId, "deletionId"), &out))
        defer { synap_data_deletion_free(out) }
        return DataDeletion(out!)
    }

    /// Polls a deletion until it is complete, partial or a dry run and
    /// returns that record: a partial deletion is a record, not an error.
    /// The progress closure sees each record polled as `deletion`. Throws
    /// as `wait` does.
    public func waitForDeletion(_ deletionId: String, options: WaitOptions = WaitOptions()) throws -> DataDeletion {
        let id = try cText(deletionId, "deletionId")
        var out: OpaquePointer?
        try options.withHandle { o in
            try check(synap_data_deletion_wait(handle, id, o, &out))
        }
        defer { synap_data_deletion_free(out) }
        return DataDeletion(out!)
    }

    /// The account's credit balance (credits.balance). The four credits
    /// calls follow an unconfirmed wire format: the reference SDK has never
    /// sent these requests, and libsynap follows what that SDK's code
    /// describes.
    public func creditBalance() throws -> CreditBalance {
        var out: OpaquePointer?
        try check(synap_credits_balance(handle, &out))
        defer { synap_credit_balance_free(out) }
        return CreditBalance(out!)
    }

    /// One page of the credit ledger, newest first (credits.ledger;
    /// unconfirmed wire format): the first 100 rows unless `query` says
    /// otherwise.
    public func creditLedger(_ query: LedgerQuery = LedgerQuery()) throws -> LedgerPage {
        let q = try query.handle()
        defer { synap_ledger_query_free(q) }
        var out: OpaquePointer?
        try check(synap_credits_ledger(handle, q, &out))
        defer { synap_ledger_page_free(out) }
        return LedgerPage(out!)
    }

    /// What a usage would cost, in credits (credits.estimate; unconfirmed
    /// wire format). Changes nothing.
    public func estimateCredits(_ request: EstimateRequest) throws -> Double {
        let r = try request.handle()
        defer { synap_estimate_request_free(r) }
        var credits: Double = 0
        try check(synap_credits_estimate(handle, r, &credits))
        return credits
    }

    /// Redeems a credit code such as "SYN-XXXX-XXXX-XXXX-X" (credits.redeem;
    /// unconfirmed wire format). Throws `.invalidRequest` for a malformed or
    /// unknown code, `.insufficientCredits` for one already redeemed,
    /// expired or exhausted. Not idempotent.
    public func redeemCredits(_ code: String) throws -> Redemption {
        var out: OpaquePointer?
        try check(synap_credits_redeem(handle, cText(code, "code"), &out))
        defer { synap_redemption_free(out) }
        return Redemption(out!)
    }
}

/// How much a log handler hears; each level includes the ones before it
/// (SynapLogLevel in synap.h, with the same values).
public enum LogLevel: Int {
    /// Failures the caller may not see otherwise.
    case error = 1
    /// Things to know: plain http to a remote host, a Retry-After longer
    /// than the backoff cap, a retry the deadline left no time for.
    case warn = 2
    /// Retries and the backoff waited, the proxy in use.
    case info = 3
    /// Every request with its outcome and time, every poll of a wait.
    case debug = 4
}

/// The handler setLogHandler installed; libsynap holds it as a raw pointer.
private final class LogHandler {
    let call: @Sendable (LogLevel, String) -> Void
    init(_ call: @escaping @Sendable (LogLevel, String) -> Void) { self.call = call }
}

/// Serialises setLogHandler, so that the handler libsynap points to and the
/// one retained here are always the same.
private let logLock = NSLock()
/// The retain that keeps the installed handler alive; under logLock only.
private var installedLogHandler: Unmanaged<LogHandler>?

/// Sends libsynap's log lines at `level` or more severe to `handler`, for
/// the whole process, replacing any handler set before; nil turns logging
/// off (the default). A line is one line of text that never holds the API
/// key or proxy credentials, and ends with the request's correlation id in
/// brackets when there is one.
///
/// `handler` runs on the thread whose libsynap call logs, possibly on
/// several at once, and must not call setLogHandler. Once this returns,
/// the handler it replaced is not running and will not run again.
public func setLogHandler(level: LogLevel = .info, _ handler: (@Sendable (LogLevel, String) -> Void)?) throws {
    let new = handler.map { Unmanaged.passRetained(LogHandler($0)) }
    let old: Unmanaged<LogHandler>?
    do {
        old = try swapLogHandler(level: level, new)
    } catch {
        new?.release()
        throw error
    }
    // Outside the lock: releasing a handler may run its captures' deinit.
    old?.release()
}

/// Installs `new` in libsynap and records it, under logLock; returns the
/// handler it replaced, which libsynap no longer runs or calls.
private func swapLogHandler(level: LogLevel, _ new: Unmanaged<LogHandler>?) throws -> Unmanaged<LogHandler>? {
    logLock.lock()
    defer { logLock.unlock() }
    if let new = new {
        try check(synap_set_log_callback(Int32(level.rawValue), { level, message, userData in
            let handler = Unmanaged<LogHandler>.fromOpaque(userData!).takeUnretainedValue()
            handler.call(LogLevel(rawValue: Int(level.rawValue)) ?? .error,
                         message.map { String(cString: $0) } ?? "")
        }, new.toOpaque()))
    } else {
        try check(synap_set_log_callback(Int32(level.rawValue), nil, nil))
    }
    let old = installedLogHandler
    installedLogHandler = new
    return old
}

/// The linked library's version, "MAJOR.MINOR.PATCH".
public func version() -> String {
    String(cString: synap_version())
}
