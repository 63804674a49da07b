"""Northwind Insurance: claims AI owned by the claims department head, under regulatory review.

Deliberate gaps: the head of claims is overstretched (over 20 h/week), complaint
classification runs in pilot with no accountable owner, motor damage estimation is high
risk with no human checkpoint, the settlement pilot has an open high-severity incident and
an overdue validation milestone, and the photo-estimation vendor contract expires soon
with no monitoring party and no incident response time.
"""

from __future__ import annotations

from tenants.demo_data.spec import (
    ALL_DUTIES,
    EXC,
    IMP,
    INC,
    MON,
    A,
    AgreementSpec,
    AssessmentSpec,
    AssignmentSpec,
    C,
    ChangePlanStatus,
    Checkpoint,
    Clause,
    ClientSize,
    ClientSpec,
    DecisionAuthority,
    EngagementStatus,
    EscalationLevel,
    HandoverSpec,
    I,
    IncidentSeverity,
    IncidentSpec,
    IncidentStatus,
    KpiDirection,
    KpiSpec,
    LifecycleStage,
    MilestoneSpec,
    MilestoneStatus,
    OwnerSpec,
    PlanSpec,
    ProcessSpec,
    R,
    ReviewOutcome,
    ReviewSpec,
    RiskTier,
    Stakeholder,
    Tool,
    step,
)
from tenants.models import ResponsibleParty as P

_MAIL = "northwind-insurance.example"
_CLAIMS = "Claims"

OWNERS = (
    OwnerSpec(
        "helen",
        "Helen Okafor",
        f"helen.okafor@{_MAIL}",
        "Head of Claims",
        _CLAIMS,
        DecisionAuthority.FULL,
    ),
    OwnerSpec(
        "daniel",
        "Daniel Price",
        f"daniel.price@{_MAIL}",
        "Claims Operations Manager",
        _CLAIMS,
        DecisionAuthority.OPERATIONAL,
    ),
    OwnerSpec(
        "ravi",
        "Ravi Menon",
        f"ravi.menon@{_MAIL}",
        "Recoveries Team Leader",
        _CLAIMS,
        DecisionAuthority.OPERATIONAL,
        leaves=True,
    ),
    OwnerSpec(
        "tomasz",
        "Tomasz Nowak",
        f"tomasz.nowak@{_MAIL}",
        "Fraud Analytics Lead",
        "Special Investigations",
        DecisionAuthority.OPERATIONAL,
    ),
    OwnerSpec(
        "graham",
        "Graham Ellis",
        f"graham.ellis@{_MAIL}",
        "Underwriting Director",
        "Underwriting",
        DecisionAuthority.FULL,
    ),
    OwnerSpec(
        "aisha",
        "Aisha Rahman",
        f"aisha.rahman@{_MAIL}",
        "Customer Operations Manager",
        "Customer Operations",
        DecisionAuthority.OPERATIONAL,
    ),
    OwnerSpec(
        "lena",
        "Lena Fischer",
        f"lena.fischer@{_MAIL}",
        "Senior Data Scientist",
        "Data & Analytics",
        DecisionAuthority.ADVISORY,
    ),
    OwnerSpec(
        "marcus",
        "Marcus Bell",
        f"marcus.bell@{_MAIL}",
        "Compliance Officer",
        "Risk & Compliance",
        DecisionAuthority.ADVISORY,
    ),
)

_CLAIMS_ESCALATION = (
    EscalationLevel(
        1, "Routing or model output error affecting live claims", "Claims duty manager", 2
    ),
    EscalationLevel(
        2,
        "More than 50 claims affected or a customer detriment risk",
        "Helen Okafor, Head of Claims",
        8,
    ),
    EscalationLevel(3, "Reportable to the regulator", "Chief Risk Officer", 24),
)

PROCESSES = (
    ProcessSpec(
        "triage",
        "Claims triage and routing",
        "Score first notifications of loss for complexity and route each claim to the right "
        "handling team.",
        _CLAIMS,
        LifecycleStage.PRODUCTION,
        RiskTier.CRITICAL,
        steps=(
            step("Capture first notification", "none", "Call centre or web form"),
            step("Score complexity", "decides", "Complexity and severity score 0-100"),
            step("Route to team", "recommends", "Fast track, standard or complex handling"),
            step("Handler acceptance", "none", "Handler accepts or re-routes"),
        ),
        upstream=("First notification of loss",),
        downstream=("Claims handling", "Reserving"),
        inputs=("FNOL form", "Policy record", "Claims history"),
        outputs=("Complexity score", "Routing decision"),
        checkpoints=(
            Checkpoint(
                "Complex-claim sign-off",
                "Route to team",
                "Claims team leader",
                "Every claim scored above 80 before fast track is refused",
            ),
        ),
        escalation=_CLAIMS_ESCALATION,
        tools=(
            Tool("TriageIQ", "Corvus Analytics", "Claim complexity scoring"),
            Tool("Guidewire ClaimCenter", "Guidewire", "Claims system of record"),
        ),
        kpis=(
            KpiSpec("Routing accuracy", "%", "95", latest="92.4"),
            KpiSpec("Time to first contact", "hours", "24", KpiDirection.LOWER, "19.5"),
        ),
    ),
    ProcessSpec(
        "fraud",
        "Claims fraud scoring",
        "Flag claims with fraud indicators for referral to special investigations.",
        "Special Investigations",
        LifecycleStage.PRODUCTION,
        RiskTier.CRITICAL,
        steps=(
            step("Score claim", "decides", "Network and behavioural indicators"),
            step("Refer to SIU", "recommends"),
            step("Investigate", "none"),
        ),
        upstream=("Claims triage and routing",),
        downstream=("Special investigations",),
        inputs=("Claim details", "Third-party fraud databases"),
        outputs=("Fraud score", "SIU referral"),
        checkpoints=(
            Checkpoint(
                "Referral review",
                "Refer to SIU",
                "SIU investigator",
                "No claim is declined on the score alone",
            ),
        ),
        escalation=(
            EscalationLevel(
                1, "Referral rate moves by more than 30% week on week", "Tomasz Nowak", 24
            ),
            EscalationLevel(2, "Suspected bias or wrongful referral", "Chief Risk Officer", 48),
        ),
        tools=(Tool("Sentinel Fraud Suite", "Fraudwall", "Fraud scoring"),),
        kpis=(
            KpiSpec("Referral hit rate", "%", "35", latest="31"),
            KpiSpec("False positive referrals", "per week", "40", KpiDirection.LOWER, "52"),
        ),
    ),
    ProcessSpec(
        "motor",
        "Motor damage estimation from photos",
        "Estimate repair cost from customer photos of vehicle damage to speed up settlement.",
        _CLAIMS,
        LifecycleStage.PRODUCTION,
        RiskTier.HIGH,
        steps=(
            step("Collect photos", "none", "Customer uploads via app"),
            step("Estimate repair", "decides", "Parts and labour estimate"),
            step("Authorise repair", "recommends"),
        ),
        upstream=("Claims triage and routing",),
        downstream=("Repair network", "Settlement"),
        inputs=("Damage photos", "Vehicle make and model"),
        outputs=("Repair estimate", "Total-loss flag"),
        tools=(Tool("VisionClaim", "Lumen Vision", "Damage estimation from photos"),),
        kpis=(KpiSpec("Estimate variance vs assessor", "%", "10", KpiDirection.LOWER, "13.8"),),
    ),
    ProcessSpec(
        "settlement",
        "Claims settlement recommendation",
        "Recommend settlement amounts for property claims; under review by the regulator.",
        _CLAIMS,
        LifecycleStage.PILOT,
        RiskTier.CRITICAL,
        steps=(
            step("Assemble claim file", "assists"),
            step("Recommend settlement", "recommends", "Amount and rationale"),
            step("Approve settlement", "none", "Handler within authority limit"),
        ),
        upstream=("Claims handling",),
        downstream=("Payments", "Complaints"),
        inputs=("Claim file", "Loss adjuster report", "Policy wording"),
        outputs=("Settlement recommendation", "Rationale for the customer letter"),
        checkpoints=(
            Checkpoint(
                "Authority-limit approval",
                "Approve settlement",
                "Senior claims handler",
                "Every recommendation above GBP 5,000 or outside 10% of the adjuster",
            ),
            Checkpoint(
                "Weekly fairness sample",
                "Recommend settlement",
                "Compliance officer",
                "20 files a week checked against Consumer Duty outcomes",
            ),
        ),
        escalation=_CLAIMS_ESCALATION,
        tools=(Tool("SettleAssist", "Corvus Analytics", "Settlement recommendation"),),
        kpis=(
            KpiSpec("Recommendations accepted unchanged", "%", "80", latest="71"),
            KpiSpec("Complaints upheld on settled claims", "%", "2", KpiDirection.LOWER),
        ),
    ),
    ProcessSpec(
        "letters",
        "Claims correspondence drafting",
        "Draft customer letters and emails for claim updates from handler notes.",
        _CLAIMS,
        LifecycleStage.PRODUCTION,
        RiskTier.MEDIUM,
        steps=(step("Draft letter", "drafts"), step("Handler edits and sends", "none")),
        upstream=("Claims handling",),
        downstream=("Customer communications",),
        inputs=("Handler notes", "Letter templates"),
        outputs=("Draft letter",),
        checkpoints=(Checkpoint("Handler approval", "Handler edits and sends", "Claims handler"),),
        tools=(Tool("Azure OpenAI Service", "Microsoft", "Text generation"),),
        kpis=(KpiSpec("Drafts sent without major edits", "%", "70", latest="76"),),
    ),
    ProcessSpec(
        "subrogation",
        "Subrogation recovery identification",
        "Find settled claims where a third party is liable and costs can be recovered.",
        _CLAIMS,
        LifecycleStage.PRODUCTION,
        RiskTier.MEDIUM,
        steps=(step("Scan settled claims", "decides"), step("Open recovery case", "recommends")),
        upstream=("Settlement",),
        downstream=("Recoveries team",),
        inputs=("Settled claim files", "Police and accident reports"),
        outputs=("Recovery opportunities",),
        escalation=(
            EscalationLevel(
                1, "Recovery pipeline drops below 20 cases a week", "Claims Operations Manager", 48
            ),
        ),
        kpis=(KpiSpec("Recovered per month", "GBP", "250000", latest="212000"),),
    ),
    ProcessSpec(
        "underwriting",
        "Commercial underwriting risk pre-fill",
        "Pre-fill commercial property risk data from public sources for underwriters.",
        "Underwriting",
        LifecycleStage.PILOT,
        RiskTier.HIGH,
        steps=(
            step("Gather external data", "assists"),
            step("Pre-fill risk form", "drafts"),
            step("Underwriter review", "none"),
        ),
        upstream=("Broker submission",),
        downstream=("Pricing", "Policy issue"),
        inputs=("Broker submission", "Flood and crime maps", "Companies register"),
        outputs=("Pre-filled risk form",),
        checkpoints=(
            Checkpoint(
                "Underwriter confirmation",
                "Underwriter review",
                "Underwriter",
                "Every pre-filled field confirmed before pricing",
            ),
        ),
        escalation=(EscalationLevel(1, "Pre-fill error found at referral", "Graham Ellis", 24),),
        kpis=(KpiSpec("Fields accepted unchanged", "%", "90", latest="84"),),
    ),
    ProcessSpec(
        "agent_qa",
        "Policy wording assistant for agents",
        "Answer contact-centre agents' questions about policy wording and cover.",
        "Customer Operations",
        LifecycleStage.PRODUCTION,
        RiskTier.LOW,
        steps=(step("Agent asks", "none"), step("Answer with citation", "drafts")),
        upstream=("Customer call",),
        downstream=("Customer answer",),
        inputs=("Policy wordings", "Agent question"),
        outputs=("Cited answer",),
        tools=(Tool("Azure OpenAI Service", "Microsoft", "Question answering"),),
        kpis=(KpiSpec("Answers rated helpful", "%", "85", latest="88"),),
    ),
    ProcessSpec(
        "complaints",
        "Complaint classification",
        "Classify incoming complaints by root cause and regulatory reportability.",
        "Customer Operations",
        LifecycleStage.PILOT,
        RiskTier.HIGH,
        steps=(step("Classify complaint", "decides"), step("Route to complaints team", "none")),
        upstream=("Complaints inbox",),
        downstream=("Complaints handling", "FCA reporting"),
        inputs=("Complaint emails", "Call transcripts"),
        outputs=("Root-cause category", "Reportable flag"),
        tools=(Tool("Azure OpenAI Service", "Microsoft", "Text classification"),),
    ),
    ProcessSpec(
        "churn",
        "Renewal churn propensity",
        "Predict which home policies will not renew so retention can call first.",
        "Customer Operations",
        LifecycleStage.IDEA,
        RiskTier.MEDIUM,
    ),
    ProcessSpec(
        "legacy_fraud",
        "Rules-based fraud flags (legacy)",
        "Static fraud rules, replaced by the fraud scoring model.",
        "Special Investigations",
        LifecycleStage.RETIRED,
        RiskTier.HIGH,
        steps=(step("Apply rules", "decides"),),
        inputs=("Claim details",),
        outputs=("Fraud flag",),
    ),
)

ASSIGNMENTS = (
    AssignmentSpec("helen", "triage", A, (EXC, IMP), "8", -400),
    AssignmentSpec("lena", "triage", R, (MON, INC), "6", -400),
    AssignmentSpec("daniel", "triage", R, (EXC,), "3", -300),
    AssignmentSpec("marcus", "triage", C, (), "1", -200),
    AssignmentSpec("tomasz", "fraud", A, ALL_DUTIES, "8", -500),
    AssignmentSpec("lena", "fraud", C, (MON,), "2", -500),
    AssignmentSpec("helen", "motor", A, (EXC,), "6", -260),
    AssignmentSpec("helen", "settlement", A, (EXC, INC), "5", -90),
    AssignmentSpec("lena", "settlement", R, (MON, IMP), "6", -90),
    AssignmentSpec("marcus", "settlement", C, (), "2", -90),
    AssignmentSpec("helen", "letters", A, (IMP,), "3", -180),
    AssignmentSpec("daniel", "letters", R, (MON, EXC, INC), "2", -180),
    AssignmentSpec("ravi", "subrogation", A, ALL_DUTIES, "4", -420),
    AssignmentSpec("graham", "underwriting", A, (EXC, IMP), "3", -60),
    AssignmentSpec("lena", "underwriting", R, (MON, INC), "3", -60),
    AssignmentSpec("aisha", "agent_qa", A, ALL_DUTIES, "2", -240),
    AssignmentSpec("lena", "complaints", R, (MON,), "2", -45),
    AssignmentSpec("marcus", "complaints", I, (), "0.5", -45),
    AssignmentSpec("tomasz", "legacy_fraud", A, ALL_DUTIES, "2", -900, -380),
)

HANDOVERS = (HandoverSpec("subrogation", "daniel", -40, ALL_DUTIES, "3"),)

_AF, _DI, _OM = "ai_fundamentals", "data_interpretation", "operational_management"
ASSESSMENTS = (
    AssessmentSpec(
        "helen",
        -75,
        "Priya Raman",
        ((_AF, 2), (_DI, 3), (_OM, 5)),
        "Strong claims operator; relies on the data team to explain model behaviour.",
        "AI fundamentals for claims leaders (half day); pair with Lena Fischer.",
    ),
    AssessmentSpec(
        "lena",
        -75,
        "Priya Raman",
        ((_AF, 5), (_DI, 5), (_OM, 2)),
        "Excellent technically; limited exposure to exception handling on the floor.",
        "Shadow the claims duty manager for two weeks.",
    ),
    AssessmentSpec(
        "tomasz",
        -420,
        "Priya Raman",
        ((_AF, 4), (_DI, 4), (_OM, 3)),
        "Assessed at the start of the fraud model rollout.",
    ),
    AssessmentSpec(
        "daniel",
        -30,
        "Jonas Weber",
        ((_AF, 3), (_DI, 2), (_OM, 4)),
        "New to recoveries analytics after the handover.",
        "KPI and dashboard reading workshop.",
    ),
    AssessmentSpec("graham", -50, "Jonas Weber", ((_AF, 3), (_DI, 4), (_OM, 4))),
)

PLANS = (
    PlanSpec(
        "Make the settlement recommendation pilot ready for the regulator's review: documented "
        "decision logic, independent validation and handlers trained to override.",
        "settlement",
        (
            Stakeholder("Helen Okafor", "Head of Claims", "Accountable; presents to regulator"),
            Stakeholder("Claims handlers", "Users", "New override procedure"),
            Stakeholder("Marcus Bell", "Compliance Officer", "Owns regulator correspondence"),
        ),
        "Fortnightly steering with the Head of Claims; handler briefings at team huddles; "
        "written update to Compliance after each milestone.",
        45,
        ChangePlanStatus.ACTIVE,
        60,
        (
            MilestoneSpec(
                "Document the model's decision logic", -30, MilestoneStatus.COMPLETED, -33
            ),
            MilestoneSpec(
                "Independent validation of settlement model", -10, MilestoneStatus.IN_PROGRESS
            ),
            MilestoneSpec("Train handlers on the override procedure", 20),
            MilestoneSpec("Walkthrough with the regulator", 45),
        ),
    ),
)

AGREEMENTS = (
    AgreementSpec(
        "Corvus Analytics",
        "TriageIQ and SettleAssist",
        -400,
        330,
        300,
        ("triage", "settlement"),
        auto_renews=True,
        monitoring=Clause(P.SHARED, "Vendor monitors drift monthly; Northwind reviews weekly."),
        incident_response=Clause(P.VENDOR, "P1 acknowledged by phone, fix or rollback."),
        incident_hours=4,
        updates=Clause(P.VENDOR, "Quarterly model releases after Northwind sign-off."),
        data_governance=Clause(P.CLIENT, "Data stays in Northwind's UK tenancy."),
    ),
    AgreementSpec(
        "Lumen Vision",
        "VisionClaim",
        -320,
        45,
        45,
        ("motor",),
        incident_response=Clause(P.VENDOR, "Best endeavours support."),
        updates=Clause(P.VENDOR),
        data_governance=Clause(P.CLIENT, "Photos deleted after 90 days."),
    ),
    AgreementSpec(
        "Fraudwall",
        "Sentinel Fraud Suite",
        -700,
        395,
        365,
        ("fraud",),
        auto_renews=True,
        monitoring=Clause(P.SHARED),
        incident_response=Clause(P.VENDOR),
        incident_hours=8,
        updates=Clause(P.VENDOR, "Rule and model updates monthly."),
    ),
)

REVIEWS = (
    ReviewSpec(
        "triage",
        -20,
        "Helen Okafor",
        "Routing accuracy below target on water-damage claims; retrain requested.",
        ReviewOutcome.NEEDS_IMPROVEMENT,
    ),
    ReviewSpec(
        "fraud",
        -35,
        "Tomasz Nowak",
        "False positives up after the rule change; threshold reset.",
        ReviewOutcome.ON_TRACK,
    ),
    ReviewSpec(
        "motor",
        -140,
        "Helen Okafor",
        "Estimates drifting high on EV repairs.",
        ReviewOutcome.NEEDS_IMPROVEMENT,
    ),
    ReviewSpec(
        "settlement",
        -12,
        "Helen Okafor",
        "Acceptance below target; handlers override on contents claims.",
        ReviewOutcome.OFF_TRACK,
    ),
    ReviewSpec(
        "agent_qa", -200, "Aisha Rahman", "Agents rate answers well.", ReviewOutcome.ON_TRACK
    ),
)

INCIDENTS = (
    IncidentSpec(
        "settlement",
        "Recommendation above handler authority limit",
        IncidentSeverity.HIGH,
        -6,
        "Eleven contents claims were recommended above the GBP 5,000 limit without "
        "the approval flag.",
        escalation_level=2,
    ),
    IncidentSpec(
        "triage",
        "Storm surge misrouted to fast track",
        IncidentSeverity.MEDIUM,
        -58,
        "Storm claims scored low complexity; 140 claims re-routed by hand.",
        escalation_level=1,
        status=IncidentStatus.RESOLVED,
        resolved=-55,
    ),
    IncidentSpec(
        "motor",
        "Estimates failed for new EV models",
        IncidentSeverity.MEDIUM,
        -25,
        "VisionClaim returned no estimate for three new EV models.",
        status=IncidentStatus.CLOSED,
        resolved=-20,
    ),
)

NORTHWIND = ClientSpec(
    name="Northwind Insurance",
    industry="Insurance",
    size=ClientSize.ENTERPRISE,
    region="United Kingdom",
    status=EngagementStatus.ACTIVE,
    engagement_start=-120,
    engagement_end=240,
    lead_consultant="Priya Raman",
    owners=OWNERS,
    processes=PROCESSES,
    assignments=ASSIGNMENTS,
    handovers=HANDOVERS,
    assessments=ASSESSMENTS,
    plans=PLANS,
    agreements=AGREEMENTS,
    reviews=REVIEWS,
    incidents=INCIDENTS,
)
