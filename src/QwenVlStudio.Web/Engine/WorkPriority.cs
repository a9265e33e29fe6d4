namespace QwenVlStudio.Web.Engine;

/// <summary>
/// Priority classes of the scheduler, most urgent first. A waiting request of a lower value is always admitted
/// before any request of a higher value; within a class requests are served first in, first out.
/// </summary>
public enum WorkPriority
{
    /// <summary>A person is waiting: chat messages and API calls.</summary>
    Interactive = 0,

    /// <summary>Bulk work (batch jobs) that yields to interactive requests.</summary>
    Batch = 1,
}
