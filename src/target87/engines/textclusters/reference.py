"""Sentences typical of what is said about SDG target 8.7, whose mean embedding stands for "the subject".

The embeddings of a set of texts are compared after their common part is taken off (:func:`.vectors.embeddings`).
With many texts the set's own mean gives it; with few, that mean says little, so it is pulled towards the mean
of these sentences. They are written to span the subject, not to resemble any particular text.
"""

REFERENCE_SENTENCES = (
    "Take immediate and effective measures to eradicate forced labour, modern slavery and human trafficking.",
    "End child labour in all its forms by 2025, including the recruitment and use of child soldiers.",
    "The government should adopt a national policy on child labour and forced labour.",
    "Employers' and workers' organisations have a role to play in prevention.",
    "Civil society organisations should be consulted when the action plan is drafted.",
    "More resources are needed to implement existing laws.",
    "Enforcement of the law remains weak in rural areas and in the informal economy.",
    "Children from poor households are most at risk of being put to work.",
    "Migrant workers are vulnerable to abuse by employers and intermediaries.",
    "Women and girls face particular risks of exploitation in domestic work.",
    "The private sector should take responsibility for conditions in its operations.",
    "Data on the number of people in forced labour is scarce.",
    "Progress towards the target should be monitored and reported every year.",
    "Regional cooperation between countries is essential to address cross-border issues.",
    "Development partners should support national efforts with technical assistance.",
    "Good practices from other countries in the region can be replicated.",
    "Awareness of rights among workers and communities remains low.",
    "Local authorities need the capacity to act on cases they discover.",
    "Policies on labour, education and social welfare should be coherent.",
    "The ILO conventions provide the international framework for action.",
    "Survivors should receive support to rebuild their lives.",
    "Responsibility for coordination between agencies is unclear.",
    "Partnerships between the public sector, business and civil society should be strengthened.",
    "Funding for programmes against child labour should be increased and sustained.",
    "Vulnerable groups such as indigenous peoples and ethnic minorities need specific attention.",
    "Informal sector workers are often excluded from legal protection.",
    "Training of officials is needed at national and local level.",
    "Young workers above the minimum age should be protected from hazardous conditions.",
    "Research is needed to understand the root causes of exploitation.",
    "Countries should share information on their progress through Alliance 8.7.",
)
