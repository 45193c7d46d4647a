import HubbubHTTP

/// `/healthz`: the process is alive and its loops answer.
struct HealthEndpoint: HTTPEndpoint {
    func respond(to request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: .ok, headers: headers, body: Array(#"{"status":"ok"}"#.utf8))
    }
}
