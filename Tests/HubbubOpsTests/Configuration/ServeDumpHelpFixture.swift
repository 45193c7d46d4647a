/// A trimmed copy of `hubbub serve --experimental-dump-help` (swift-argument-parser 1.8.2).
enum ServeDumpHelpFixture {
    static let json = #"""
{
 "command": {
  "abstract": "Run the hub. With no options it listens on 127.0.0.1:8080 and needs no other server.",
  "arguments": [
   {
    "abstract": "Address to listen on, HOST:PORT ([::1]:PORT for IPv6).",
    "defaultValue": "127.0.0.1:8080",
    "isOptional": true,
    "isRepeating": false,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "listen"
     }
    ],
    "shouldDisplay": true,
    "valueName": "listen"
   },
   {
    "abstract": "I/O backend: auto (io_uring, else epoll), uring or epoll.",
    "allValues": [
     "auto",
     "uring",
     "epoll"
    ],
    "defaultValue": "auto",
    "isOptional": true,
    "isRepeating": false,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "io"
     }
    ],
    "shouldDisplay": true,
    "valueName": "io"
   },
   {
    "abstract": "Serve a WebSocket echo endpoint at /echo (conformance and load tests).",
    "isOptional": true,
    "isRepeating": false,
    "kind": "flag",
    "names": [
     {
      "kind": "long",
      "name": "echo"
     }
    ],
    "shouldDisplay": true,
    "valueName": "echo"
   },
   {
    "abstract": "Event loop threads (default: one per core).",
    "isOptional": true,
    "isRepeating": false,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "threads"
     }
    ],
    "shouldDisplay": true,
    "valueName": "threads"
   },
   {
    "abstract": "Most simultaneous connections (also bounded by the open-file limit).",
    "defaultValue": "100000",
    "isOptional": true,
    "isRepeating": false,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "max-connections"
     }
    ],
    "shouldDisplay": true,
    "valueName": "max-connections"
   },
   {
    "abstract": "Largest client message on /ws, after reassembly (close 1009 beyond; announced in welcome).",
    "defaultValue": "64KiB",
    "isOptional": true,
    "isRepeating": false,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "max-message-size"
     },
     {
      "kind": "long",
      "name": "max-message-bytes"
     }
    ],
    "shouldDisplay": true,
    "valueName": "max-message-size"
   },
   {
    "abstract": "Per-connection send queue bound; a WebSocket peer that lets it fill is closed as a slow consumer.",
    "defaultValue": "4MiB",
    "isOptional": true,
    "isRepeating": false,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "max-send-queue"
     }
    ],
    "shouldDisplay": true,
    "valueName": "max-send-queue"
   },
   {
    "abstract": "An allowed Origin for WebSocket upgrades (repeatable; none given allows any).",
    "isOptional": true,
    "isRepeating": true,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "allowed-origin"
     }
    ],
    "shouldDisplay": true,
    "valueName": "allowed-origin"
   },
   {
    "abstract": "HS256 secret for client tokens, at least 32 bytes (or $HUBBUB_JWT_SECRET).",
    "isOptional": true,
    "isRepeating": false,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "jwt-secret"
     }
    ],
    "sectionTitle": "Hub",
    "shouldDisplay": true,
    "valueName": "jwt-secret"
   },
   {
    "abstract": "Presence changes are batched into one diff per room over this window.",
    "defaultValue": "50ms",
    "isOptional": true,
    "isRepeating": false,
    "kind": "option",
    "names": [
     {
      "kind": "long",
      "name": "presence-batch-window"
     }
    ],
    "sectionTitle": "Hub",
    "shouldDisplay": true,
    "valueName": "presence-batch-window"
   },
   {
    "abstract": "Show help information.",
    "isOptional": true,
    "isRepeating": false,
    "kind": "flag",
    "names": [
     {
      "kind": "short",
      "name": "h"
     },
     {
      "kind": "long",
      "name": "help"
     }
    ],
    "shouldDisplay": true,
    "valueName": "help"
   }
  ],
  "commandName": "serve",
  "shouldDisplay": true,
  "superCommands": [
   "hubbub"
  ]
 },
 "serializationVersion": 0
}
"""#
}
