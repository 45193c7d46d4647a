import HubbubHTTP
import HubbubOps
import HubbubServer

/// `GET /metrics`: the Prometheus text exposition of the hub's metrics (issue 7). The
/// scrape renders on the loop thread that received it; collected gauges read their
/// sources there (they are cheap by contract).
struct MetricsEndpoint: HTTPEndpoint {
    let metrics: HubMetrics

    func respond(to request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: MetricsRegistry.contentType)
        return HTTPResponse(status: .ok, headers: headers, body: Array(metrics.exposition().utf8))
    }
}
