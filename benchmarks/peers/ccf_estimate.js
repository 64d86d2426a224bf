// Cloud Carbon Footprint's own AWS estimation on a Cost and Usage Report CSV, for
// benchmarks/bench_peers.py (run by it with NODE_PATH=benchmarks/out/peers/node_modules).
//
//     node ccf_estimate.js CUR.csv OUT.json [day|month|year]
//
// CCF reads a CUR through Athena: one SQL query (CostAndUsageReports.getUsage) filters the
// line item types and dates and sums usage and cost per period, account, region, product,
// usage type, pricing unit and vCPU; its JavaScript then turns each result row into a
// CostAndUsageReportsRow, classifies it and calls the estimators (getEstimates). Here the CSV
// is read with csv-parse and that query is done in a Map (same WHERE, GROUP BY and SUM); the
// result rows are handed to an unchanged CostAndUsageReports.getEstimates through a stub of
// its ServiceWrapper's four Athena calls. Writes the timings and totals to OUT.json.

'use strict'

const fs = require('fs')
const { parse } = require('csv-parse')
const { CostAndUsageReports } = require('@cloud-carbon-footprint/aws/dist/lib')
const { AWS_CLOUD_CONSTANTS } = require('@cloud-carbon-footprint/aws/dist/domain')
const { LINE_ITEM_TYPES } = require('@cloud-carbon-footprint/aws/dist/lib/CostAndUsageTypes')
// the core the AWS package itself requires (aws@0.15.0 depends on core ^0.17.3)
const core = require(
  require.resolve('@cloud-carbon-footprint/core', {
    paths: [require.resolve('@cloud-carbon-footprint/aws')],
  }),
)

const [csvPath, outPath, grouping = 'day'] = process.argv.slice(2)
const TRUNCATE = {
  day: (date) => date.slice(0, 10),
  month: (date) => `${date.slice(0, 7)}-01`,
  year: (date) => `${date.slice(0, 4)}-01-01`,
}
const START = '2024-01-01'
const END = '2024-12-31T23:59:59.999Z'

// The Athena query of CostAndUsageReports.getUsage, on the CSV's rows. Legacy CUR column
// names; the synthetic file has unblended cost only (CCF sums line_item_blended_cost) and no
// product/vcpu column (empty, as the CUR's is for usage that is not an instance's).
async function athenaRows(path) {
  const groups = new Map()
  let rowsIn = 0
  const parser = fs.createReadStream(path).pipe(parse({ columns: true }))
  for await (const row of parser) {
    rowsIn += 1
    if (!LINE_ITEM_TYPES.includes(row['lineItem/LineItemType'])) continue
    const start = row['lineItem/UsageStartDate']
    if (start < START || start > END) continue
    const fields = [
      TRUNCATE[grouping](start),
      row['lineItem/UsageAccountId'],
      row['product/region'],
      row['lineItem/ProductCode'],
      row['lineItem/UsageType'],
      row['pricing/unit'],
      row['product/vcpu'] || '',
    ]
    const key = fields.join('\u0000')
    const group = groups.get(key)
    const amount = parseFloat(row['lineItem/UsageAmount'])
    const cost = parseFloat(row['lineItem/UnblendedCost'])
    if (group) {
      group.amount += amount
      group.cost += cost
    } else {
      groups.set(key, { fields, amount, cost })
    }
  }
  const header = { Data: [] }
  const rows = [header]
  for (const { fields, amount, cost } of groups.values()) {
    rows.push({
      Data: [...fields, String(amount), String(cost)].map((value) => ({ VarCharValue: value })),
    })
  }
  return { rowsIn, rows }
}

function athenaStub(rows) {
  return {
    getAthenaTableDescription: async () => ({
      Table: { StorageDescriptor: { Columns: [{ Name: 'product_vcpu' }] } },
    }),
    startAthenaQueryExecution: async () => ({ QueryExecutionId: 'csv' }),
    getAthenaQueryExecution: async () => ({ QueryExecution: { Status: { State: 'SUCCEEDED' } } }),
    getAthenaQueryResultSets: async () => [{ ResultSet: { Rows: rows } }],
  }
}

async function main() {
  let start = performance.now()
  const { rowsIn, rows } = await athenaRows(csvPath)
  const readSeconds = (performance.now() - start) / 1000
  const athenaRowsOut = rows.length - 1
  // as AWSAccount.getDataFromCostAndUsageReports builds it
  const reports = new CostAndUsageReports(
    new core.ComputeEstimator(),
    new core.StorageEstimator(AWS_CLOUD_CONSTANTS.SSDCOEFFICIENT),
    new core.StorageEstimator(AWS_CLOUD_CONSTANTS.HDDCOEFFICIENT),
    new core.NetworkingEstimator(AWS_CLOUD_CONSTANTS.NETWORKING_COEFFICIENT),
    new core.MemoryEstimator(AWS_CLOUD_CONSTANTS.MEMORY_COEFFICIENT),
    new core.UnknownEstimator(AWS_CLOUD_CONSTANTS.ESTIMATE_UNKNOWN_USAGE_BY),
    new core.EmbodiedEmissionsEstimator(AWS_CLOUD_CONSTANTS.SERVER_EXPECTED_LIFESPAN),
    athenaStub(rows),
  )
  start = performance.now()
  const results = await reports.getEstimates(new Date(START), new Date(END), grouping)
  const estimateSeconds = (performance.now() - start) / 1000
  let kilowattHours = 0
  let co2e = 0
  let serviceEstimates = 0
  let notANumber = 0 // CCF's co2e of usage it cannot estimate (e.g. SageMaker training) is NaN
  for (const result of results) {
    for (const estimate of result.serviceEstimates) {
      serviceEstimates += 1
      if (Number.isNaN(estimate.co2e) || Number.isNaN(estimate.kilowattHours)) {
        notANumber += 1
        continue
      }
      kilowattHours += estimate.kilowattHours
      co2e += estimate.co2e
    }
  }
  const summary = {
    rows_in: rowsIn,
    athena_rows: athenaRowsOut,
    periods: results.length,
    service_estimates: serviceEstimates,
    service_estimates_nan: notANumber,
    read_seconds: readSeconds,
    estimate_seconds: estimateSeconds,
    kwh: kilowattHours,
    kgco2e: co2e * 1000, // CCF's co2e is in metric tons
  }
  fs.writeFileSync(outPath, JSON.stringify(summary))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
