/// Keys made once with the openssl command line (`openssl genpkey`, `openssl pkey
/// -pubout`, `openssl req -x509`) for these tests only. They protect nothing.
enum Fixtures {
    /// An RSA-2048 private key.
    static let rsaPrivate = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDNNkj0lFvB7L3H
        eWT/QhXqoqteJF0Kq2gS14rF1tlVSxOar2RNfjiZgXJNCP+GkiDzbB94Rr7lMj/P
        o38E2ZXyjjFVbGOZnEF/Uy0SvORg3vF+ugnnDwnelpeEd8k+rNS+/sKqiNclhKgO
        4QJcLFN7mDdsB485q+aIKbpA8DZnRYAlmxQOk52ADlAo33NC8+gfXX0yFiD6UnSX
        6JMK2lhena7HWXFyUn/HywNwNqP1jrPAhlfsh5LXbH4kSnHig759db2uVwTrkXmX
        DqI4+1gp2BdsD0NFeDGg8TMmCWMROd7OX9/vLPKXiV7OfWwpgmxw9T9uCG86A2RQ
        HXZRnAhhAgMBAAECggEAAN4K3uXFoYMzpiUwNRf9abl4SfSTZBknXnUExCNNVdv0
        YEH/hYhUCuoOJp80HUh+1SiO1X5PDj7xIBqLzeRxis3pDXhgz2RmrngWh66+tF4c
        3TFCG3Tn0MYIK+opspceaxQ+lGPxrNnrr+xpiyQw0iPpkA5UH6VHWyn5/I5HXJZf
        qnXxr/7KktZ1qX01cGpH2LibpSSooJ6Zd8bIlj/tGHCoexzye2wycf4egCGOVrtQ
        pnO+OHUKcqfwTTqmbMT9B0ky+HrCuh+oC7I6EjGz8KGgI3z9hqgKxzpAYS+YiCSm
        G3PLSMGR5fa1XW8dizClrh9F2h4SSxj9Slsugrm6VQKBgQD+85soxXqJaF28OBms
        kAaGBfFwG94EJFMoRWm74Ji2BGbaUjQRpOlR8u5XlTjthLivk1Q5qv7qQrFttihT
        GmHrPts44F29lozyAxzIWDeY5Ijh+wpflXCuIZeoXMlQEs4RtWXNOFC0gTlBL3d0
        /YoMPsmBkKwVvyWzNhgwz7jMVwKBgQDODlEcUtJQgfDPIsxP04hnpI3oWWd1TQH9
        azdXmK9LI+oyAxNDvCXV27vedFqfEfbvIqqQq5Lpjed23Cf8MvS6CbbudYAE5cLB
        edDLoEfINCbB0BdcKJKqEGt2+VSqzUWtlOjBzSz3WxD3mQjCNfW5IZQy4DQ601Oh
        EjDU153eBwKBgQCVstJLKVEe94H6b3JbyaGa9khizGobQnz1a3R/FYx1a7Y8wQHD
        znIVZTAfiwYHKOQMa9SLm+TcBlcKFWguC5KtP5YXGl7QYGLYA43V8T6L7ryU/AOG
        RkgIZr8W44xtEO2gpkNlMYjpw+qrZMSek/SH5iIJiroQdtEbHksr9fwLNwKBgQCW
        c8WtlJuTxQz7cUEVGDME2hXzjTQJZg0J6HskLovvpW2ezrgGQR6vJB3ss7BnbUqM
        GRfJQj2m4sIa+20GrH4cSHOVcZ3j9Y9ajYNy6rj+6XVTFom39LgCDLMqz6qOfAtg
        TtYUi6dFhOzCnK7Uf2nHn0kCTMpWGW96sDmPb1AJiQKBgEqmOxccMMTxI/u8PAXP
        f+4Fbts/wwZsU5dMl9I8wX7BgU4TiNQMupx0ZAYUXCgK6XNKZRzdvQWz3bdvGMME
        RyobiB+0Mk5VrUTL0smwsVxPg75r2RGLDcmOMcQZkDzeJlY1MYHAALm6TFD8GrGV
        ikMfXqVS3723dk38D8dGQiga
        -----END PRIVATE KEY-----
        """

    /// The public half of ``rsaPrivate``.
    static let rsaPublic = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzTZI9JRbwey9x3lk/0IV
        6qKrXiRdCqtoEteKxdbZVUsTmq9kTX44mYFyTQj/hpIg82wfeEa+5TI/z6N/BNmV
        8o4xVWxjmZxBf1MtErzkYN7xfroJ5w8J3paXhHfJPqzUvv7CqojXJYSoDuECXCxT
        e5g3bAePOavmiCm6QPA2Z0WAJZsUDpOdgA5QKN9zQvPoH119MhYg+lJ0l+iTCtpY
        Xp2ux1lxclJ/x8sDcDaj9Y6zwIZX7IeS12x+JEpx4oO+fXW9rlcE65F5lw6iOPtY
        KdgXbA9DRXgxoPEzJgljETnezl/f7yzyl4lezn1sKYJscPU/bghvOgNkUB12UZwI
        YQIDAQAB
        -----END PUBLIC KEY-----
        """

    /// A self-signed certificate for ``rsaPrivate``.
    static let rsaCertificate = """
        -----BEGIN CERTIFICATE-----
        MIIDDzCCAfegAwIBAgIUALOpWKLQYx7YqVXWjONZ+NwojQYwDQYJKoZIhvcNAQEL
        BQAwFjEUMBIGA1UEAwwLaHViYnViLXRlc3QwIBcNMjYxMTIyMDUwODU3WhgPMjEy
        NjEwMjkwNTA4NTdaMBYxFDASBgNVBAMMC2h1YmJ1Yi10ZXN0MIIBIjANBgkqhkiG
        9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzTZI9JRbwey9x3lk/0IV6qKrXiRdCqtoEteK
        xdbZVUsTmq9kTX44mYFyTQj/hpIg82wfeEa+5TI/z6N/BNmV8o4xVWxjmZxBf1Mt
        ErzkYN7xfroJ5w8J3paXhHfJPqzUvv7CqojXJYSoDuECXCxTe5g3bAePOavmiCm6
        QPA2Z0WAJZsUDpOdgA5QKN9zQvPoH119MhYg+lJ0l+iTCtpYXp2ux1lxclJ/x8sD
        cDaj9Y6zwIZX7IeS12x+JEpx4oO+fXW9rlcE65F5lw6iOPtYKdgXbA9DRXgxoPEz
        JgljETnezl/f7yzyl4lezn1sKYJscPU/bghvOgNkUB12UZwIYQIDAQABo1MwUTAd
        BgNVHQ4EFgQUbE8Ekey+TBIdxMEaIwpIvSC+VS8wHwYDVR0jBBgwFoAUbE8Ekey+
        TBIdxMEaIwpIvSC+VS8wDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOC
        AQEAB8ItB4Agt5xlHaSjVO859R+38qFQnNCQP1CkrVjVYU1do3YbvKbYN6Sm/M6c
        zmKMKk/NhDJlO7iHqWED05ZlrKWCB/8eVicXfV4NZbvR/d+rsycyF7K45dB990Xo
        THyKggsSdXV20w6U6yxqPV3PiFT8FAx0lH9/YJ6m4zT9tiWKwIhBJ2Fab0WS45hi
        Rfg1BcRvI1tpJWoJNvJXXFe/JZK1WpsysXV5djtgflqt2GpgSpbjDrlRc+ID9N14
        7xNTMq2Y9w4513Ihbg0NA2W0aWFWOkEXfP1SD9ZhXeAXxzxokYYr7VyakB3vy69J
        FT3SIASxbEvJgbM0suu49W+skQ==
        -----END CERTIFICATE-----
        """

    /// A second, unrelated RSA-2048 private key.
    static let otherRSAPrivate = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCwAV0JlJjljs2l
        W2NtEphy5VYunt/lxMJmxHBZJR6gju7SRHASnLV0AK8Dkfiuz8O+Q6IFce4nYWvP
        k3WzdbyDKn9EM9kqPxmqMd6Sk2uokPpvnofxV9NpO7CvxStRkmVafZlu/VyGa4ji
        NQ8oqvu4D3vBVyVXTu7mZ4YriGpLw7WOHqY63fvFJzkwN4/wG4DjwfVfg+gZi2nc
        R6gw6VJPkDElyo0PQY6Nu47+ko8Q5/NoXBYbAzTLWQDyKyRXgDbb0FiTtJjXHfC3
        /0sUEw8udLTaeV1TqLCGFVNsqlEKaAodhpMzIiUT5eXwgDs8qST/Q+PqniN+dA07
        BPBb8AV/AgMBAAECggEAELLNN4R52rjpH+AcypNlRuyLq0UQuJ72hra3P6EhV8BX
        19Ewa0OjUr8uqGfbMGxIn2H3tEAlhTNdl1/fkeHNiD0QizfHScloAoxUS2AuanUr
        nX1swZdAjCjJAzqLEpeRUCJZQhaw0y81DHXv2z7lpOyrJCIqSi9HkTD1oZm1Fzzw
        2quNWylv1V1H18r6aka7HP4iavkoRuIDntwmCP8wR5ZXbxzu0zX1Hjbq4WzdNBLm
        1jEHTPrtsPNv9SQuFhC3N0HQZsrvG3eFVqfW8e28muU8T5elASRAjgTgnZLe8L+C
        U6mHIkseOprFK+ewsSAkoAYTnctE4/G5Fv5DLa/EeQKBgQDhIG3Yl9C9zLXX0grp
        5TckMfTngywzZh0N5T3zJJG5a8Z9h17zCa6nArgo0gEol7nj8nVYWt7W8Aq4sZ4V
        /PgH0Un1VuMJq4T94PqTzVIrnd61brWwU6mwHtHau2GmMzRzXZlUyKHf2Ui5obrl
        NgS6GjOk6QbMI4fmj5tIVDmWvQKBgQDIJGukKeYg9ebo8+7ZUwUDEv+H3aDRNw36
        smnbTr5cFF7AhzV2fhf1jyU/Ng5qBEebdVjRLvWw46qrAitpQGdwum1vV4aF6BLz
        GJ1ftnul/IeBQIClz9jbEuRvwY0whHn5QEZCEjvvptsBoCYsSPX7R03e8uGHqGIV
        Q/UXTdKe6wKBgD4ZkfNzPVN9ypN0Dyqh3eoQFbxfBKxQ+KbCm6ocZk49mo058Eke
        XJ0ZNO+drlAiOlbUpOXwexPTN0HnTPJHy6tsYfhZNVuPgqn9i2GF+6qoa6ykk13G
        VkKM3dp2YeNUsJ06LneiuHRlHZiHMmTT1832OFS/Ku7Yxj4lUvJKuXAJAoGAGG/p
        /Ldo8+lScmsmZL6wQ/nT3YEAG8t/F3clWbO5poCOOS/JJVisED2ULK2rAOLY43Bm
        kdQMB7ckpZC0QDuu5aK9rfSf5kW52pjMzlz3qAK3gN6hVp2UOtuJrOOTG7NxOS/R
        5EtZqh9TalVlk86syiugpHI/e1Lh9vq/OEM2TlUCgYAQ0WfQSLHAqWL/ZtByPaRq
        04W6H9NscRVYthqjdEodE7PV0sOJOHIUVNzeg4prXunj/BHZyTT9Yx2mM9xuvYqa
        r4zPSF3cqMLBG92Z6+7gexhoxp6PuddAQa5pNDfq5CXEzWIGL65nGFhu2BUgdS+G
        JZZ2L7Jg0F4cuzJsOJ95zA==
        -----END PRIVATE KEY-----
        """

    /// The public half of ``otherRSAPrivate``.
    static let otherRSAPublic = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsAFdCZSY5Y7NpVtjbRKY
        cuVWLp7f5cTCZsRwWSUeoI7u0kRwEpy1dACvA5H4rs/DvkOiBXHuJ2Frz5N1s3W8
        gyp/RDPZKj8ZqjHekpNrqJD6b56H8VfTaTuwr8UrUZJlWn2Zbv1chmuI4jUPKKr7
        uA97wVclV07u5meGK4hqS8O1jh6mOt37xSc5MDeP8BuA48H1X4PoGYtp3EeoMOlS
        T5AxJcqND0GOjbuO/pKPEOfzaFwWGwM0y1kA8iskV4A229BYk7SY1x3wt/9LFBMP
        LnS02nldU6iwhhVTbKpRCmgKHYaTMyIlE+Xl8IA7PKkk/0Pj6p4jfnQNOwTwW/AF
        fwIDAQAB
        -----END PUBLIC KEY-----
        """

    /// An RSA key too small for RS256 (1024 bits).
    static let rsa1024Private = """
        -----BEGIN PRIVATE KEY-----
        MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBANLY54jUY4iX379S
        Knb9APKcE3dYggxQD62J6MHS6W4BtzoqkVKt8kXS491M+NTUeumChJ2U4pfkIkhw
        OUPu5glqBIC96STcOVE20r/+tgQPe11a6Ch2z/VE1NOoKU+mUKOztzZQVE9upRJG
        um4pHjygZrGqMuxp1aQBAY8JmmRvAgMBAAECgYAKTTKyyr26NMFn1Znhimb7c4i3
        8gkYlOjPL8fBgI6LI2ZSXzYOdhU6OB2N+G7H50HCGvBjypxvk2PhaipCGW//uwrm
        rbduSKT7g5XEmmEmi9cumRYjfCwH1eThclFbHP8GTfNtMYm15YwnhiPNe6iuDW8a
        mGDxKnaGhIgDirEfUQJBAO3Dj9sFaxNXrOppT70OY5okVevjbvQra4Huh0CQJce+
        myBk3UWS7EamcsW6PVE0jVkpThj29Rmr+uq8qYZlzpMCQQDjBNdAvf1BqiTQESic
        BJ1XTOuW70CZ3fEQEvaaOPL+2/aWs3m+khokJybqbcCi+Q7jsIO/pGrO/PhQHEas
        4uA1AkBaJolYAUDtL5QnuVB7nYYUfux5KV37hK8Zr+hmiYFZsCK/cJ8ZbzDZROlF
        oWz4alWh1fB/tLuQRU45TNl2VQmzAkAyVqx0SqyRluy6xlM+5TcOWJwUx9CHTdNa
        QRo1cFNRd+zh1cI1I6hwQ845RUTl3lwS2N0d7ZNRen6FJP/27gfRAkEA4RgStq7R
        r3mpzH3f8gnNlvAgueEULPEURT1crpyQS4UG00UGW2FEHqM6uXHimpWaGwVimnZa
        bo/uT3pn+ll1qg==
        -----END PRIVATE KEY-----
        """

    /// The public half of ``rsa1024Private``.
    static let rsa1024Public = """
        -----BEGIN PUBLIC KEY-----
        MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDS2OeI1GOIl9+/Uip2/QDynBN3
        WIIMUA+tiejB0uluAbc6KpFSrfJF0uPdTPjU1HrpgoSdlOKX5CJIcDlD7uYJagSA
        vekk3DlRNtK//rYED3tdWugods/1RNTTqClPplCjs7c2UFRPbqUSRrpuKR48oGax
        qjLsadWkAQGPCZpkbwIDAQAB
        -----END PUBLIC KEY-----
        """

    /// An EC P-256 private key.
    static let ecPrivate = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpyugxww6bpBc3hBN
        Et1QkqR2ULqPx7Rz+RDgz71XGv6hRANCAARhDCeL4xezmIi7v0XjbpAoVwA5dVS3
        5EMmS+ByzAHMOGWPo9CPug1WxEVFKjHKrRbCtmaNqdTx8CBc7xtF2EL1
        -----END PRIVATE KEY-----
        """

    /// The public half of ``ecPrivate``.
    static let ecPublic = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYQwni+MXs5iIu79F426QKFcAOXVU
        t+RDJkvgcswBzDhlj6PQj7oNVsRFRSoxyq0WwrZmjanU8fAgXO8bRdhC9Q==
        -----END PUBLIC KEY-----
        """

    /// A self-signed certificate for ``ecPrivate``.
    static let ecCertificate = """
        -----BEGIN CERTIFICATE-----
        MIIBhDCCASmgAwIBAgIUTF12l8ytb67TVY8ciFlVEO7j2nswCgYIKoZIzj0EAwIw
        FjEUMBIGA1UEAwwLaHViYnViLXRlc3QwIBcNMjYxMTIyMDUwODQ4WhgPMjEyNjEw
        MjkwNTA4NDhaMBYxFDASBgNVBAMMC2h1YmJ1Yi10ZXN0MFkwEwYHKoZIzj0CAQYI
        KoZIzj0DAQcDQgAEYQwni+MXs5iIu79F426QKFcAOXVUt+RDJkvgcswBzDhlj6PQ
        j7oNVsRFRSoxyq0WwrZmjanU8fAgXO8bRdhC9aNTMFEwHQYDVR0OBBYEFJn1q0qJ
        kS2PhEC5ERlqPAUxnME3MB8GA1UdIwQYMBaAFJn1q0qJkS2PhEC5ERlqPAUxnME3
        MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAJWPvT269h50m6NU
        J5DEFBciZT79MRVWcvk2kNpKCg/AAiEAr/RAiNGg6DKD0LAaBCsMhLKGcLjcNRoN
        zCALgCAjDvA=
        -----END CERTIFICATE-----
        """

    /// ``ecPrivate`` encrypted with the passphrase `secret`.
    static let ecEncryptedPrivate = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjrfoOiA57QDgICCAAw
        DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEHJr22DBypRC0l7TKAmmQPwEgZBo
        +mCUA4hw8QeTwRj8RzqnhssYFPqBtmq3XNniRZtjm4dECj9ATrRTzZz2eebEeyAk
        rT3EwT8D0cqyMfrR0QJKPpWG+imThCgyItt6e0v6nzfBSsawMoi5Eqdq1QXsu12a
        8RQIRHJ7C3Wt96CEAeeCePQCYkrqHGZ+1f10VzUDPmFPgIoiNChkg4NwEVFRLDg=
        -----END ENCRYPTED PRIVATE KEY-----
        """

    /// A second, unrelated EC P-256 private key.
    static let otherECPrivate = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgu1VNVvCrRn9bxJnl
        oN2BgK8W6prcCKiwz6fazznpV+ehRANCAAQ5zdbFyFhmVFz9JZJC2G4mI6OhZVqN
        k2Mg2SBkiJokJlTA80uLAH4eIKUCU0ktlX5EuBHpTH6ozXvFHGbCLMhT
        -----END PRIVATE KEY-----
        """

    /// The public half of ``otherECPrivate``.
    static let otherECPublic = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOc3WxchYZlRc/SWSQthuJiOjoWVa
        jZNjINkgZIiaJCZUwPNLiwB+HiClAlNJLZV+RLgR6Ux+qM17xRxmwizIUw==
        -----END PUBLIC KEY-----
        """

    /// An EC key on P-384, which ES256 does not use.
    static let p384Private = """
        -----BEGIN PRIVATE KEY-----
        MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCPJ+UB95X9yH8T7Nvb
        xy/eXTQBSqAWpyXqtvBJqbjJaEUtL675boxZ4arBSFfKrGmhZANiAARqyIIFW6ao
        SQTSZfNrIQSJh5MT9FT3EQRc28X/w3065fs5htOm8Hu/B7zV+mgpQ1dqvV+EdMyR
        A7AlAvdWOE2L22LF4BTCJ+ZE1N9lMn2GrvI0CyEseQSuwoW03xifTxU=
        -----END PRIVATE KEY-----
        """

    /// The public half of ``p384Private``.
    static let p384Public = """
        -----BEGIN PUBLIC KEY-----
        MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEasiCBVumqEkE0mXzayEEiYeTE/RU9xEE
        XNvF/8N9OuX7OYbTpvB7vwe81fpoKUNXar1fhHTMkQOwJQL3VjhNi9tixeAUwifm
        RNTfZTJ9hq7yNAshLHkErsKFtN8Yn08V
        -----END PUBLIC KEY-----
        """

    /// An Ed25519 public key, a type Hubbub does not accept.
    static let ed25519Public = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAdafUQrDZPc1ndjc7j+Jqt2HboB8ZZkj7u6SAzHqNJJw=
        -----END PUBLIC KEY-----
        """
}
