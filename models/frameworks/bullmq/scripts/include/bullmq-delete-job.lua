--! include: bullmq-parent
-- Deletes a BullMQ job whose id already left its state, as BullMQ's removeJob(hard = true):
-- detach it from its parent (hard), drop the deduplication key if it still points at the job,
-- DEL hash + :logs :dependencies :processed :failed :unsuccessful. links = linksOf(<the job key>)
-- when the caller read them already, else nil.
local function deleteJob(queuePrefix, id, links)
  local jobKey = queuePrefix .. id
  links = links or linksOf(jobKey)
  detachFromParent(links, jobKey, true, queuePrefix, 0)
  removeDeduplicationKey(queuePrefix, id, links[3])
  removeJobKeys(jobKey)
end
