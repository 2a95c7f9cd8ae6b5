/// The Athena SQL for organisations whose CloudTrail is too large for one machine: Athena scans the
/// logs, `iamtiers analyze` reads the CSV of the rollup query.
public struct AthenaSQL: Sendable {
    public var table: String
    public var database: String?
    /// Whose calls: roles, IAM users, any principal by ARN (as `analyze` selects them).
    public var selection: PrincipalSelection
    public var since: EventTime?
    public var until: EventTime?

    public init(
        table: String, database: String? = nil, selection: PrincipalSelection, since: EventTime? = nil,
        until: EventTime? = nil
    ) {
        self.table = table
        self.database = database
        self.selection = selection
        self.since = since
        self.until = until
    }

    /// Where CloudTrail writes, for the table definition.
    public struct Location: Sendable {
        /// `s3://bucket/AWSLogs/` or `s3://bucket/prefix/AWSLogs/o-org/` (an organisation trail).
        public var logs: String
        public var accounts: [String]
        public var regions: [String]
        public var firstDay: String

        public init(logs: String, accounts: [String], regions: [String], firstDay: String) {
            self.logs = logs.hasSuffix("/") ? logs : logs + "/"
            self.accounts = accounts
            self.regions = regions
            self.firstDay = firstDay
        }
    }

    /// The table name as queries write it (double quotes) and as DDL writes it (backticks).
    var qualifiedTable: String { qualified(quote: "\"") }
    var qualifiedTableForDDL: String { qualified(quote: "`") }

    private func qualified(quote: Character) -> String {
        [database, table].compactMap { $0 }.map { quoteIdentifier($0, with: quote) }.joined(separator: ".")
    }

    /// A CloudTrail table whose partitions (account, region, day) are projected from the S3 layout, so
    /// no partitions need loading and every query can prune by day.
    public func createTable(_ location: Location) -> String {
        """
        -- CloudTrail logs under \(commentText(location.logs)), partitioned by account, region and day through
        -- partition projection: nothing to load, and queries that filter on "day" read only those days.
        -- Regions: \(location.regions == Self.commercialRegions ? "every commercial region (\(Self.regionsSource))" : "as given").
        CREATE EXTERNAL TABLE IF NOT EXISTS \(qualifiedTableForDDL) (
            eventversion STRING,
            useridentity STRUCT<
                type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING,
                accesskeyid: STRING, username: STRING,
                onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
                sessioncontext: STRUCT<
                    attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
                    sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
                    ec2roledelivery: STRING,
                    webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>,
                    sourceidentity: STRING>>,
            eventtime STRING,
            eventsource STRING,
            eventname STRING,
            awsregion STRING,
            sourceipaddress STRING,
            useragent STRING,
            errorcode STRING,
            errormessage STRING,
            requestparameters STRING,
            responseelements STRING,
            additionaleventdata STRING,
            requestid STRING,
            eventid STRING,
            readonly STRING,
            resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
            eventtype STRING,
            apiversion STRING,
            recipientaccountid STRING,
            serviceeventdetails STRING,
            sharedeventid STRING,
            vpcendpointid STRING,
            eventcategory STRING,
            tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>,
            sessioncredentialfromconsole STRING
        )
        PARTITIONED BY (account STRING, region STRING, day STRING)
        ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
        STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
        OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
        LOCATION \(quoteLiteral(location.logs))
        TBLPROPERTIES (
            'projection.enabled' = 'true',
            'projection.account.type' = 'enum',
            'projection.account.values' = \(quoteLiteral(location.accounts.joined(separator: ","))),
            'projection.region.type' = 'enum',
            'projection.region.values' = \(quoteLiteral(location.regions.joined(separator: ","))),
            'projection.day.type' = 'date',
            'projection.day.format' = 'yyyy/MM/dd',
            'projection.day.range' = \(quoteLiteral("\(location.firstDay),NOW")),
            'projection.day.interval' = '1',
            'projection.day.interval.unit' = 'DAYS',
            'storage.location.template' = \(quoteLiteral(location.logs + "${account}/CloudTrail/${region}/${day}"))
        );
        """
    }

    /// What the selection says, for comments.
    private var selected: String { commentText(selection.arguments.joined(separator: " ")) }

    /// Calls of the selected principals (a role's sessions, users' calls), grouped as `iamtiers
    /// analyze` reads them back from the result CSV.
    public var rollup: String {
        """
        -- What it is used for: \(selected)
        -- Calls of the selected principals (the sessions a role issued, an IAM user's calls), grouped by
        -- person, call and outcome. Save the result as CSV and run: iamtiers analyze result.csv
        \(rollupSelect(where: principalPredicate))
        """
    }

    /// After a rollout: the calls IAM refused to sessions of these roles (the tier roles; the
    /// selection is not used), in the rollup's columns, so that `iamtiers denied result.csv --tiers …`
    /// reads them.
    public func refusedCalls(ofRoles roles: [String]) -> String {
        let tiers = AthenaSQL(
            table: table, database: database, selection: PrincipalSelection(roles: roles.map(RoleQuery.init)))
        return """
            -- Refused calls of \(commentText(roles.joined(separator: ", "))). Save the result as CSV and run:
            -- iamtiers denied result.csv --tiers tiers.yaml
            \(rollupSelect(where: tiers.principalPredicate
                + "\n  AND (errorcode LIKE '%AccessDenied%' OR errorcode LIKE '%Unauthorized%' OR errorcode = 'Forbidden')"))
            """
    }

    static let issuerColumn = "useridentity.sessioncontext.sessionissuer.arn"

    private func rollupSelect(where predicate: String) -> String {
        """
        SELECT
            useridentity.type AS principal_type,
            useridentity.arn AS principal,
            \(Self.issuerColumn) AS role_arn,
            CASE WHEN useridentity.type = 'Root' THEN 'root'
                ELSE element_at(split(useridentity.arn, '/'), -1) END AS session_name,
            eventsource,
            eventname,
            errorcode,
            (coalesce(sessioncredentialfromconsole, '') = 'true' OR coalesce(useragent, '') = 'AWS Internal'
                OR regexp_like(coalesce(useragent, ''), '^console\\.[a-z0-9.-]*amazonaws\\.com$')) AS console,
            useridentity.invokedby AS invoked_by,
            eventcategory,
            recipientaccountid,
            \(Self.requestFacts)
            count(*) AS calls,
            min(eventtime) AS first_seen,
            max(eventtime) AS last_seen
        FROM \(qualifiedTable)
        WHERE \(predicate)\(windowPredicate)
        GROUP BY \((1...16).map(String.init).joined(separator: ", "))
        ORDER BY calls DESC;
        """
    }

    /// What the requests show about companions (see `CompanionRules`), as `analyze` reads them back:
    /// the role and instance-profile ARNs anywhere in the request, role names under role-naming keys,
    /// whether tags (a tag key) come with it, the top-level keys the rules look at, and the services
    /// a KMS encryption context names. Regular expressions over the request's JSON text: nested keys
    /// count too, where `analyze` reading the logs looks at the top level only.
    static var requestFacts: String {
        let parameters = "coalesce(requestparameters, '')"
        let tagKeys = CompanionRules.tagKeys.sorted().joined(separator: "|")
        let keys = CompanionRules.requestKeys.map { key in
            "CASE WHEN regexp_like(\(parameters), \(quoteLiteral("\"" + key + "\"\\s*:"))) THEN \(quoteLiteral(key)) END"
        }
        return """
            array_join(array_sort(array_distinct(regexp_extract_all(\(parameters),
                    'arn:aws[a-z-]*:iam::[0-9]{12}:(role|instance-profile)/[A-Za-z0-9+=,.@_/-]+'))), ' ') AS passed_roles,
                array_join(array_sort(array_distinct(regexp_extract_all(\(parameters),
                    '"[A-Za-z]*(Role|RoleName|role|roleName)"\\s*:\\s*"[A-Za-z0-9+=,.@_-]{1,64}"'))), ' ') AS role_names,
                regexp_like(\(parameters), '(?i)"(\(tagKeys))"\\s*:\\s*("[^"]|[\\[{].*"(key|value)"\\s*:\\s*"[^"])') AS tagged,
                concat_ws(' ',
                    \(keys.joined(separator: ",\n                    "))) AS request_keys,
                array_join(array_sort(array_distinct(regexp_extract_all(\(parameters), '"aws:([a-z0-9-]+):', 1))), ' ') AS kms_context,
            """
    }

    /// Who signed in to the selected roles (sign-ins are logged under the caller, a SAML user's
    /// e-mail, an SSO user, another role, with the role in the request), and the selected users'
    /// console sign-ins.
    public var signIns: String {
        let roles = selection.roles.map {
            rolePredicate($0.text, "json_extract_scalar(requestparameters, '$.roleArn')")
        }
        let users = selection.users.map { userPredicate($0.text, "useridentity.arn") }
        let arns = selection.principals.map { arnPredicate($0, "useridentity.arn") }
        var cases: [String] = []
        if !roles.isEmpty {
            cases.append(
                "(eventsource = 'sts.amazonaws.com'\n"
                    + "       AND eventname IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity')\n"
                    + "       AND " + disjunction(roles) + ")")
        }
        if !users.isEmpty || !arns.isEmpty {
            cases.append(
                "(eventsource = 'signin.amazonaws.com' AND eventname = 'ConsoleLogin'\n"
                    + "       AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'\n"
                    + "       AND " + disjunction(users + arns) + ")")
        }
        return """
            -- Who signed in, and how often: \(selected)
            -- A rollup of its own: `iamtiers analyze` reads its CSV beside the one above, so the usage has
            -- the sign-ins (each person's count, addresses, first and last) as from the logs.
            SELECT
                recipientaccountid,
                eventsource,
                eventname,
                useridentity.type AS principal_type,
                useridentity.arn AS principal,
                useridentity.principalid AS principal_id,
                useridentity.username AS user_name,
                json_extract_scalar(requestparameters, '$.roleArn') AS sign_in_role,
                json_extract_scalar(requestparameters, '$.roleSessionName') AS sign_in_session,
                sourceipaddress AS source_address,
                count(*) AS calls,
                min(eventtime) AS first_seen,
                max(eventtime) AS last_seen
            FROM \(qualifiedTable)
            WHERE errorcode IS NULL
              AND \(disjunction(cases))\(windowPredicate)
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
            ORDER BY calls DESC;
            """
    }

    /// The selected principals, each matched exactly (never `LIKE '%name%'`, which also matches every
    /// principal whose name merely contains it): roles on the session issuer of role sessions, users
    /// on the caller's ARN, `--principal` on whichever of the two the principal is.
    var principalPredicate: String {
        let caller = "useridentity.arn"
        let principal =
            "(CASE WHEN useridentity.type = 'AssumedRole' THEN \(Self.issuerColumn) ELSE \(caller) END)"
        return disjunction(
            selection.roles.map {
                "(useridentity.type = 'AssumedRole' AND \(rolePredicate($0.text, Self.issuerColumn)))"
            }
                + selection.users.map { "(useridentity.type = 'IAMUser' AND \(userPredicate($0.text, caller)))" }
                + selection.principals.map { arnPredicate($0, principal) })
    }

    /// `a`, or `(a\n OR b …)`.
    private func disjunction(_ terms: [String]) -> String {
        terms.count == 1 ? terms[0] : "(" + terms.joined(separator: "\n       OR ") + ")"
    }

    /// A role by ARN, path/name or name (under any path, and also the IAM Identity Center role of a
    /// permission set of that name, with or without `AWSReservedSSO_`).
    func rolePredicate(_ text: String, _ column: String) -> String {
        if text.lowercased().hasPrefix("arn:") { return arnPredicate(text, column) }
        var set = text
        if set.lowercased().hasPrefix("awsreservedsso_") { set.removeFirst("AWSReservedSSO_".count) }
        let escaped = globToRegex(text)
        let pattern =
            text.contains("/")
            ? ":role/\(escaped)$" : ":role/(.*/)?(\(escaped)|AWSReservedSSO_\(globToRegex(set))_[0-9a-f]+)$"
        return "regexp_like(\(column), \(quoteLiteral("(?i)" + pattern)))"
    }

    /// An IAM user by ARN, path/name or name (under any path).
    func userPredicate(_ text: String, _ column: String) -> String {
        if text.lowercased().hasPrefix("arn:") { return arnPredicate(text, column) }
        let pattern = text.contains("/") ? ":user/\(globToRegex(text))$" : ":user/(.*/)?\(globToRegex(text))$"
        return "regexp_like(\(column), \(quoteLiteral("(?i)" + pattern)))"
    }

    /// An ARN, or a glob of one.
    func arnPredicate(_ text: String, _ column: String) -> String {
        text.hasWildcard
            ? "regexp_like(\(column), \(quoteLiteral("(?i)^" + globToRegex(text) + "$")))"
            : "lower(\(column)) = \(quoteLiteral(text.lowercased()))"
    }

    var windowPredicate: String {
        var clauses: [String] = []
        // `day` is the day in the file's S3 key, not the event's: CloudTrail files events near
        // midnight under the day before or after (35 of 64,749 events of a generated corpus sat a day
        // early), so the partition bounds keep a day of margin either side; eventtime decides.
        if let since {
            clauses.append(
                "day >= \(quoteLiteral(day(EventTime(secondsSinceEpoch: since.secondsSinceEpoch - 86_400))))")
        }
        if let until { clauses.append("day <= \(quoteLiteral(day(until)))") }
        if let since { clauses.append("eventtime >= \(quoteLiteral(since.description))") }
        if let until { clauses.append("eventtime < \(quoteLiteral(until.description))") }
        if clauses.isEmpty { return "\n  -- no --since/--until: every day is scanned (and paid for)" }
        return clauses.map { "\n  AND \($0)" }.joined()
    }

    private func day(_ time: EventTime) -> String {
        time.day.replacingOccurrences(of: "-", with: "/")
    }

    /// `*` and `?` become `.*` and `.`; everything else is matched literally.
    func globToRegex(_ glob: String) -> String {
        var regex = ""
        for character in glob {
            switch character {
            case "*": regex += ".*"
            case "?": regex += "."
            case _ where "\\^$.|+()[]{}".contains(character): regex += "\\\(character)"
            default: regex.append(character)
            }
        }
        return regex
    }
}

/// 'text' with single quotes doubled, as SQL writes them.
func quoteLiteral(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
}

/// A table or database name, quoted (with `quote`, doubled inside) unless it is a plain lower-case name.
func quoteIdentifier(_ name: String, with quote: Character) -> String {
    let plain =
        name.first.map { $0 == "_" || ($0.isASCII && $0.isLowercase) } == true
        && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    let reserved: Set<String> = [
        "table", "select", "from", "where", "group", "order", "user", "database", "date", "day",
    ]
    guard !plain || reserved.contains(name) else { return name }
    return String(quote) + name.replacingOccurrences(of: String(quote), with: String([quote, quote])) + String(quote)
}

/// Text safe inside a `--` comment line.
func commentText(_ text: String) -> String {
    String(text.map { $0.isNewline ? " " : $0 })
}
