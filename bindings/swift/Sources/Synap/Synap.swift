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
        case invalidArgument = 1
        case auth = 2
        case notFound = 3
        case invalidRequest = 4
        case insufficientCredits = 5
        case conflict = 6
        case rateLimited = 7
        case server = 8
        case timeout = 9
        case network = 10
        case tls = 11
        case protocolError = 12
        case cancelled = 13
        case internalError = 14
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

/// Throws the calling thread's last error if `code` is a failure.
@inline(__always)
private func check(_ code: SynapCode) throws {
    if code != SYNAP_OK {
        throw SynapError.last(code)
    }
}

/// Seconds as the C API's milliseconds: rounded up, within UInt32.
private func milliseconds(_ seconds: TimeInterval) -> UInt32 {
    UInt32(max(0, min(Double(UInt32.max), (seconds * 1000).rounded(.up))))
}

private func date(_ us: Int64) -> Date {
    Date(timeIntervalSince1970: TimeInterval(us) / 1_000_000)
}

/// Settings for a Client; nil leaves libsynap's default.
public struct ClientOptions {
    /// The service's base URL, e.g. "http://127.0.0.1:8787".
    public var baseURL: String?
    /// How long opening a connection may take, in seconds.
    public var connectTimeout: TimeInterval?
    /// How long one attempt of a request may take, in seconds.
    public var requestTimeout: TimeInterval?
    /// The most one call may take, retries included, in seconds.
    public var deadline: TimeInterval?
    /// How many attempts a call makes at most (1 to 100).
    public var maxAttempts: UInt32?
    /// The proxy URL; "" for none (nil reads the environment).
    public var proxy: String?
    /// A PEM file of CAs to trust instead of the bundled roots.
    public var caFile: String?

    /// Options with the given settings; the rest keep libsynap's defaults.
    public init(baseURL: String? = nil, connectTimeout: TimeInterval? = nil, requestTimeout: TimeInterval? = nil,
                deadline: TimeInterval? = nil, maxAttempts: UInt32? = nil, proxy: String? = nil,
                caFile: String? = nil) {
        self.baseURL = baseURL
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.deadline = deadline
        self.maxAttempts = maxAttempts
        self.proxy = proxy
        self.caFile = caFile
    }
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

/// Stops a Client.wait from another thread; once triggered it stays so.
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

/// A connection to the Synap service; share one between threads.
public final class Client: @unchecked Sendable {
    private let handle: OpaquePointer

    /// A client with `apiKey` (nil reads SYNAP_API_KEY) and `options`.
    public init(apiKey: String? = nil, options: ClientOptions = ClientOptions()) throws {
        guard let o = synap_options_new() else {
            throw SynapError(code: .internalError, codeName: "SYNAP_INTERNAL", message: "out of memory",
                             httpStatus: 0, correlationId: nil, retryAfter: nil)
        }
        defer { synap_options_free(o) }
        if let url = options.baseURL {
            try check(synap_options_set_base_url(o, url))
        }
        if let t = options.connectTimeout {
            try check(synap_options_set_connect_timeout_ms(o, milliseconds(t)))
        }
        if let t = options.requestTimeout {
            try check(synap_options_set_request_timeout_ms(o, milliseconds(t)))
        }
        if let t = options.deadline {
            try check(synap_options_set_deadline_ms(o, milliseconds(t)))
        }
        if let n = options.maxAttempts {
            try check(synap_options_set_max_attempts(o, n))
        }
        if let url = options.proxy {
            try check(synap_options_set_proxy(o, url))
        }
        if let path = options.caFile {
            try check(synap_options_set_ca_file(o, path))
        }
        var out: OpaquePointer?
        try check(synap_client_new(apiKey ?? "", o, &out))
        handle = out!
    }

    deinit {
        synap_client_free(handle)
    }

    /// The job's status now (memories.status).
    public func status(_ ingestionId: String) throws -> MemoryStatus {
        var out: OpaquePointer?
        try check(synap_memories_status(handle, ingestionId, &out))
        defer { synap_status_free(out) }
        return MemoryStatus(out!)
    }

    /// Polls until the job is completed, failed or partial_success and
    /// returns that status. Throws `.timeout` after `timeout` seconds, and
    /// `.cancelled` if `cancel` is triggered or `progress` returns false.
    /// `progress` runs on the calling thread after every poll.
    public func wait(_ ingestionId: String, timeout: TimeInterval = 300, pollInterval: TimeInterval = 0,
                     cancel: Cancel? = nil, progress: ((MemoryStatus) -> Bool)? = nil) throws -> MemoryStatus {
        final class Progress {
            let call: (MemoryStatus) -> Bool
            init(_ call: @escaping (MemoryStatus) -> Bool) { self.call = call }
        }
        var out: OpaquePointer?
        let code: SynapCode
        if let progress = progress {
            let box = Progress(progress)
            code = withExtendedLifetime(box) {
                synap_memories_wait(handle, ingestionId, milliseconds(timeout), milliseconds(pollInterval),
                                    { status, userData in
                                        let box = Unmanaged<Progress>.fromOpaque(userData!).takeUnretainedValue()
                                        return box.call(MemoryStatus(status!))
                                    },
                                    Unmanaged.passUnretained(box).toOpaque(), cancel?.handle, &out)
            }
        } else {
            code = synap_memories_wait(handle, ingestionId, milliseconds(timeout), milliseconds(pollInterval),
                                       nil, nil, cancel?.handle, &out)
        }
        try check(code)
        defer { synap_status_free(out) }
        return MemoryStatus(out!)
    }
}

/// The linked library's version, "MAJOR.MINOR.PATCH".
public func version() -> String {
    String(cString: synap_version())
}
