-- CloudTrail logs under s3://trail-bucket/AWSLogs/, partitioned by account, region and day through
-- partition projection: nothing to load, and queries that filter on "day" read only those days.
-- Regions: as given.
CREATE EXTERNAL TABLE IF NOT EXISTS security.cloudtrail (
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
LOCATION 's3://trail-bucket/AWSLogs/'
TBLPROPERTIES (
    'projection.enabled' = 'true',
    'projection.account.type' = 'enum',
    'projection.account.values' = '111122223333',
    'projection.region.type' = 'enum',
    'projection.region.values' = 'us-east-1,eu-west-1',
    'projection.day.type' = 'date',
    'projection.day.format' = 'yyyy/MM/dd',
    'projection.day.range' = '2025/01/01,NOW',
    'projection.day.interval' = '1',
    'projection.day.interval.unit' = 'DAYS',
    'storage.location.template' = 's3://trail-bucket/AWSLogs/${account}/CloudTrail/${region}/${day}'
);

-- What it is used for: --role AdministratorAccess
-- Calls of the selected principals (the sessions a role issued, an IAM user's calls), grouped by
-- person, call and outcome. Save the result as CSV and run: iamtiers analyze result.csv
SELECT
    useridentity.type AS principal_type,
    useridentity.arn AS principal,
    useridentity.sessioncontext.sessionissuer.arn AS role_arn,
    CASE WHEN useridentity.type = 'Root' THEN 'root'
        ELSE element_at(split(useridentity.arn, '/'), -1) END AS session_name,
    eventsource,
    eventname,
    errorcode,
    (coalesce(sessioncredentialfromconsole, '') = 'true' OR coalesce(useragent, '') = 'AWS Internal'
        OR regexp_like(coalesce(useragent, ''), '^console\.[a-z0-9.-]*amazonaws\.com$')) AS console,
    useridentity.invokedby AS invoked_by,
    eventcategory,
    recipientaccountid,
    array_join(array_sort(array_distinct(regexp_extract_all(coalesce(requestparameters, ''),
        'arn:aws[a-z-]*:iam::[0-9]{12}:(role|instance-profile)/[A-Za-z0-9+=,.@_/-]+'))), ' ') AS passed_roles,
    array_join(array_sort(array_distinct(regexp_extract_all(coalesce(requestparameters, ''),
        '"[A-Za-z]*(Role|RoleName|role|roleName)"\s*:\s*"[A-Za-z0-9+=,.@_-]{1,64}"'))), ' ') AS role_names,
    regexp_like(coalesce(requestparameters, ''), '(?i)"(tagging|taglist|tags|tagset|tagspecification|tagspecifications|tagspecificationset|x-amz-tagging)"\s*:\s*("[^"]|[\[{].*"(key|value)"\s*:\s*"[^"])') AS tagged,
    concat_ws(' ',
        CASE WHEN regexp_like(coalesce(requestparameters, ''), '"filters"\s*:') THEN 'filters' END,
                    CASE WHEN regexp_like(coalesce(requestparameters, ''), '"layers"\s*:') THEN 'layers' END,
                    CASE WHEN regexp_like(coalesce(requestparameters, ''), '"versionId"\s*:') THEN 'versionId' END,
                    CASE WHEN regexp_like(coalesce(requestparameters, ''), '"x-amz-acl"\s*:') THEN 'x-amz-acl' END) AS request_keys,
    array_join(array_sort(array_distinct(regexp_extract_all(coalesce(requestparameters, ''), '"aws:([a-z0-9-]+):', 1))), ' ') AS kms_context,
    count(*) AS calls,
    min(eventtime) AS first_seen,
    max(eventtime) AS last_seen
FROM security.cloudtrail
WHERE (useridentity.type = 'AssumedRole' AND regexp_like(useridentity.sessioncontext.sessionissuer.arn, '(?i):role/(.*/)?(AdministratorAccess|AWSReservedSSO_AdministratorAccess_[0-9a-f]+)$'))
  AND day >= '2026/09/30'
  AND day <= '2026/11/01'
  AND eventtime >= '2026-10-01T00:00:00Z'
  AND eventtime < '2026-11-01T00:00:00Z'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
ORDER BY calls DESC;

-- Who signed in, and how often: --role AdministratorAccess
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
FROM security.cloudtrail
WHERE errorcode IS NULL
  AND (eventsource = 'sts.amazonaws.com'
       AND eventname IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity')
       AND regexp_like(json_extract_scalar(requestparameters, '$.roleArn'), '(?i):role/(.*/)?(AdministratorAccess|AWSReservedSSO_AdministratorAccess_[0-9a-f]+)$'))
  AND day >= '2026/09/30'
  AND day <= '2026/11/01'
  AND eventtime >= '2026-10-01T00:00:00Z'
  AND eventtime < '2026-11-01T00:00:00Z'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
ORDER BY calls DESC;
