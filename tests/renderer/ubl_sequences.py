"""The element order UBL 2.1's schemas prescribe (xsd:sequence), for the elements the renderer
writes: each list is the schema's sequence of children, shortened to names that matter here but
never reordered. Copied from UBL-Invoice-2.1.xsd, UBL-CreditNote-2.1.xsd and
UBL-CommonAggregateComponents-2.1.xsd."""

from __future__ import annotations

INVOICE = [
    "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID", "ID",
    "CopyIndicator", "UUID", "IssueDate", "IssueTime", "DueDate", "InvoiceTypeCode", "Note",
    "TaxPointDate", "DocumentCurrencyCode", "TaxCurrencyCode", "PricingCurrencyCode",
    "PaymentCurrencyCode", "PaymentAlternativeCurrencyCode", "AccountingCostCode",
    "AccountingCost", "LineCountNumeric", "BuyerReference", "InvoicePeriod", "OrderReference",
    "BillingReference", "DespatchDocumentReference", "ReceiptDocumentReference",
    "StatementDocumentReference", "OriginatorDocumentReference", "ContractDocumentReference",
    "AdditionalDocumentReference", "ProjectReference", "Signature", "AccountingSupplierParty",
    "AccountingCustomerParty", "PayeeParty", "BuyerCustomerParty", "SellerSupplierParty",
    "TaxRepresentativeParty", "Delivery", "DeliveryTerms", "PaymentMeans", "PaymentTerms",
    "PrepaidPayment", "AllowanceCharge", "TaxExchangeRate", "PricingExchangeRate",
    "PaymentExchangeRate", "PaymentAlternativeExchangeRate", "TaxTotal", "WithholdingTaxTotal",
    "LegalMonetaryTotal", "InvoiceLine",
]  # fmt: skip

CREDIT_NOTE = [
    "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID", "ID",
    "CopyIndicator", "UUID", "IssueDate", "IssueTime", "TaxPointDate", "CreditNoteTypeCode",
    "Note", "DocumentCurrencyCode", "TaxCurrencyCode", "PricingCurrencyCode",
    "PaymentCurrencyCode", "PaymentAlternativeCurrencyCode", "AccountingCostCode",
    "AccountingCost", "LineCountNumeric", "BuyerReference", "InvoicePeriod",
    "DiscrepancyResponse", "OrderReference", "BillingReference", "DespatchDocumentReference",
    "ReceiptDocumentReference", "ContractDocumentReference", "AdditionalDocumentReference",
    "StatementDocumentReference", "OriginatorDocumentReference", "Signature",
    "AccountingSupplierParty", "AccountingCustomerParty", "PayeeParty", "BuyerCustomerParty",
    "SellerSupplierParty", "TaxRepresentativeParty", "Delivery", "DeliveryTerms", "PaymentMeans",
    "PaymentTerms", "TaxExchangeRate", "PricingExchangeRate", "PaymentExchangeRate",
    "PaymentAlternativeExchangeRate", "AllowanceCharge", "TaxTotal", "LegalMonetaryTotal",
    "CreditNoteLine",
]  # fmt: skip

PARTY = [
    "MarkCareIndicator", "MarkAttentionIndicator", "WebsiteURI", "LogoReferenceID", "EndpointID",
    "IndustryClassificationCode", "PartyIdentification", "PartyName", "Language",
    "PostalAddress", "PhysicalLocation", "PartyTaxScheme", "PartyLegalEntity", "Contact",
    "Person", "AgentParty", "ServiceProviderParty", "PowerOfAttorney", "FinancialAccount",
]  # fmt: skip

ADDRESS = [
    "ID", "AddressTypeCode", "AddressFormatCode", "Postbox", "Floor", "Room", "StreetName",
    "AdditionalStreetName", "BlockName", "BuildingName", "BuildingNumber", "InhouseMail",
    "Department", "MarkAttention", "MarkCare", "PlotIdentification", "CitySubdivisionName",
    "CityName", "PostalZone", "CountrySubentity", "CountrySubentityCode", "Region", "District",
    "TimezoneOffset", "AddressLine", "Country", "LocationCoordinate",
]  # fmt: skip

PARTY_TAX_SCHEME = [
    "RegistrationName", "CompanyID", "TaxLevelCode", "ExemptionReasonCode", "ExemptionReason",
    "RegistrationAddress", "TaxScheme",
]  # fmt: skip

PARTY_LEGAL_ENTITY = [
    "RegistrationName", "CompanyID", "RegistrationDate", "RegistrationExpirationDate",
    "CompanyLegalFormCode", "CompanyLegalForm", "SoleProprietorshipIndicator",
    "CompanyLiquidationStatusCode", "CorporateStockAmount", "FullyPaidSharesIndicator",
    "RegistrationAddress", "CorporateRegistrationScheme", "HeadOfficeParty", "ShareholderParty",
]  # fmt: skip

CONTACT = ["ID", "Name", "Telephone", "Telefax", "ElectronicMail", "Note", "OtherCommunication"]

DOCUMENT_REFERENCE = [
    "ID", "CopyIndicator", "UUID", "IssueDate", "IssueTime", "DocumentTypeCode", "DocumentType",
    "XPath", "LanguageID", "LocaleCode", "VersionID", "DocumentStatusCode",
    "DocumentDescription", "Attachment", "ValidityPeriod", "IssuerParty", "ResultOfVerification",
]  # fmt: skip

PAYMENT_MEANS = [
    "ID", "PaymentMeansCode", "PaymentDueDate", "PaymentChannelCode", "InstructionID",
    "InstructionNote", "PaymentID", "CardAccount", "PayerFinancialAccount",
    "PayeeFinancialAccount", "CreditAccount", "PaymentMandate", "TradeFinancing",
]  # fmt: skip

FINANCIAL_ACCOUNT = [
    "ID", "Name", "AliasName", "AccountTypeCode", "AccountFormatCode", "CurrencyCode",
    "PaymentNote", "FinancialInstitutionBranch", "Country",
]  # fmt: skip

ALLOWANCE_CHARGE = [
    "ID", "ChargeIndicator", "AllowanceChargeReasonCode", "AllowanceChargeReason",
    "MultiplierFactorNumeric", "PrepaidIndicator", "SequenceNumeric", "Amount", "BaseAmount",
    "AccountingCostCode", "AccountingCost", "PerUnitAmount", "TaxCategory", "TaxTotal",
    "PaymentMeans",
]  # fmt: skip

TAX_TOTAL = [
    "TaxAmount",
    "RoundingAmount",
    "TaxEvidenceIndicator",
    "TaxIncludedIndicator",
    "TaxSubtotal",
]

TAX_SUBTOTAL = [
    "TaxableAmount", "TaxAmount", "CalculationSequenceNumeric", "TransactionCurrencyTaxAmount",
    "Percent", "BaseUnitMeasure", "PerUnitAmount", "TierRange", "TierRatePercent", "TaxCategory",
]  # fmt: skip

TAX_CATEGORY = [
    "ID", "Name", "Percent", "BaseUnitMeasure", "PerUnitAmount", "TaxExemptionReasonCode",
    "TaxExemptionReason", "TierRange", "TierRatePercent", "TaxScheme",
]  # fmt: skip

MONETARY_TOTAL = [
    "LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount",
    "ChargeTotalAmount", "PrepaidAmount", "PayableRoundingAmount", "PayableAmount",
]  # fmt: skip

INVOICE_LINE = [
    "ID", "UUID", "Note", "InvoicedQuantity", "LineExtensionAmount", "TaxPointDate",
    "AccountingCostCode", "AccountingCost", "InvoicePeriod", "OrderLineReference",
    "DespatchLineReference", "ReceiptLineReference", "BillingReference", "DocumentReference",
    "PricingReference", "OriginatorParty", "Delivery", "PaymentTerms", "AllowanceCharge",
    "TaxTotal", "WithholdingTaxTotal", "Item", "Price", "DeliveryTerms", "SubInvoiceLine",
    "ItemPriceExtension",
]  # fmt: skip

CREDIT_NOTE_LINE = [
    "ID", "UUID", "Note", "CreditedQuantity", "LineExtensionAmount", "TaxPointDate",
    "AccountingCostCode", "AccountingCost", "PaymentPurposeCode", "DiscrepancyResponse",
    "DespatchLineReference", "ReceiptLineReference", "BillingReference", "DocumentReference",
    "PricingReference", "OriginatorParty", "Delivery", "TaxTotal", "AllowanceCharge", "Item",
    "Price", "DeliveryTerms", "SubCreditNoteLine", "ItemPriceExtension",
]  # fmt: skip

ITEM = [
    "Description", "PackQuantity", "PackSizeNumeric", "CatalogueIndicator", "Name",
    "HazardousRiskIndicator", "AdditionalInformation", "Keyword", "BrandName", "ModelName",
    "BuyersItemIdentification", "SellersItemIdentification", "ManufacturersItemIdentification",
    "StandardItemIdentification", "CatalogueItemIdentification", "AdditionalItemIdentification",
    "CatalogueDocumentReference", "ItemSpecificationDocumentReference", "OriginCountry",
    "CommodityClassification", "TransactionConditions", "HazardousItem",
    "ClassifiedTaxCategory", "AdditionalItemProperty", "ManufacturerParty", "InformationContentProviderParty",
    "OriginAddress", "ItemInstance", "Certificate", "Dimension",
]  # fmt: skip

PRICE = ["PriceAmount", "BaseQuantity", "PriceChangeReason", "PriceTypeCode", "PriceType"]

# Element name -> the sequence its children follow.
SEQUENCES: dict[str, list[str]] = {
    "Invoice": INVOICE,
    "CreditNote": CREDIT_NOTE,
    "Party": PARTY,
    "PostalAddress": ADDRESS,
    "PartyTaxScheme": PARTY_TAX_SCHEME,
    "PartyLegalEntity": PARTY_LEGAL_ENTITY,
    "Contact": CONTACT,
    "AdditionalDocumentReference": DOCUMENT_REFERENCE,
    "InvoiceDocumentReference": DOCUMENT_REFERENCE,
    "PaymentMeans": PAYMENT_MEANS,
    "PayeeFinancialAccount": FINANCIAL_ACCOUNT,
    "AllowanceCharge": ALLOWANCE_CHARGE,
    "TaxTotal": TAX_TOTAL,
    "TaxSubtotal": TAX_SUBTOTAL,
    "TaxCategory": TAX_CATEGORY,
    "ClassifiedTaxCategory": TAX_CATEGORY,
    "LegalMonetaryTotal": MONETARY_TOTAL,
    "InvoiceLine": INVOICE_LINE,
    "CreditNoteLine": CREDIT_NOTE_LINE,
    "Item": ITEM,
    "Price": PRICE,
}
